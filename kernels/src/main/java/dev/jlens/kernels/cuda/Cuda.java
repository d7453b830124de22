// Whether CUDA can run in this JVM, and why not: driver library, device, PTX in the jar, cuBLAS, context.
package dev.jlens.kernels.cuda;

/**
 * The process-wide CUDA state, probed once on first use and never fatal: a missing driver library, no device, a
 * build without PTX, a missing cuBLAS or any CUDA error becomes a one-line {@link #unavailableReason()}, and the
 * backend registry then picks the CPU. Device 0 is used ({@code -Djlens.cuda.device=N} picks another).
 */
public final class Cuda {
    private Cuda() {}

    private static final class State {
        static final CudaContext CONTEXT;
        static final String REASON;

        static {
            CudaContext context = null;
            String reason;
            try {
                Driver driver = Driver.load();
                reason = Ptx.missing();
                if (reason == null) {
                    context = new DriverContext(driver, Integer.getInteger("jlens.cuda.device", 0));
                }
            } catch (UnsatisfiedLinkError e) { // the driver or cuBLAS: the message names the library and the tries
                reason = e.getMessage();
            } catch (CudaException | IllegalStateException e) {
                reason = e.getMessage();
            } catch (LinkageError | RuntimeException e) {
                reason = "CUDA failed to initialize: " + e;
            }
            CONTEXT = context;
            REASON = context == null ? reason : null;
        }
    }

    /** True when a CUDA device, its driver, cuBLAS and this build's PTX kernels are all usable. */
    public static boolean available() {
        return State.REASON == null;
    }

    /** Null when {@link #available()}, otherwise one line saying why CUDA cannot run here. */
    public static String unavailableReason() {
        return State.REASON;
    }

    /** The context; throws {@link IllegalStateException} with the reason when CUDA is unavailable. */
    static CudaContext context() {
        if (State.CONTEXT == null) {
            throw new IllegalStateException("CUDA is not available: " + State.REASON);
        }
        return State.CONTEXT;
    }
}
