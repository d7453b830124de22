// Prints, as a JSON array of [first, last] pairs, the code point ranges this JDK's Unicode tables leave unassigned
// (general category Cn). golden.mjs runs it so that the random corpus avoids code points that Node's newer Unicode
// assigns but the JDK does not know (their \p{L} / \p{N} / NFC answers differ only by Unicode version).
// Run: java scripts/reference/tokenizers/UnassignedInJdk.java
public class UnassignedInJdk {
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder("[");
        int start = -1;
        for (int cp = 0; cp <= 0x110000; cp++) {
            boolean unassigned = cp < 0x110000 && Character.getType(cp) == Character.UNASSIGNED;
            if (unassigned && start < 0) {
                start = cp;
            } else if (!unassigned && start >= 0) {
                out.append(out.length() > 1 ? "," : "").append('[').append(start).append(',').append(cp - 1)
                        .append(']');
                start = -1;
            }
        }
        System.out.println(out.append("]"));
    }
}
