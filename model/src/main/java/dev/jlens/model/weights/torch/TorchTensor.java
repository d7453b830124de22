// A tensor as _rebuild_tensor_v2 describes it: a storage, an element offset, sizes and strides, all checked.
package dev.jlens.model.weights.torch;

import java.util.Arrays;

/**
 * A view of a storage, validated: every dimension fits an int, the element count fits a long, and every element
 * the view can reach lies inside the storage.
 *
 * @param storage the storage it views
 * @param offset  index of the first element in the storage
 * @param shape   sizes, outermost first
 * @param strides element strides
 */
record TorchTensor(StorageRef storage, long offset, int[] shape, long[] strides) {
    @Override
    public String toString() {
        return storage.dtype() + " " + shapeString() + " of storage '" + storage.key() + "'";
    }

    /** The shape as [a, b]. */
    String shapeString() {
        return Arrays.toString(shape);
    }
}
