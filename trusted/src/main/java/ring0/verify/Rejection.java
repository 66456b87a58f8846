package ring0.verify;

/**
 * Why the checker rejected a program, and where.
 *
 * @param file         the file name as given to the checker
 * @param fileOffset   file offset of the problem, or -1 if unknown
 * @param address      link-time address of the instruction or label ({@code textVaddr + imageOffset}), or -1
 * @param imageOffset  image offset of the instruction or label, or -1 if the problem is not in {@code .text}
 * @param label        the label whose region holds the problem, or null
 * @param labelOffset  offset of the problem from the start of {@code label}, or -1
 * @param instruction  the instruction as printed by {@code Syntax.format}, or null
 * @param message      what is wrong; starts with one of the stable prefixes of docs/types.md §12
 * @param expected     what was needed (e.g. a type), or null
 * @param found        what was there, or null
 */
public record Rejection(String file, long fileOffset, long address, int imageOffset, String label, int labelOffset,
                        String instruction, String message, String expected, String found) {

    /**
     * One line: {@code file:0xADDR <label+0xOFF>: instruction: message (expected E, found F)};
     * parts that are absent are left out.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (address >= 0) {
            sb.append(":0x").append(Long.toHexString(address));
            if (label != null) {
                sb.append(" <").append(label);
                if (labelOffset > 0) sb.append("+0x").append(Integer.toHexString(labelOffset));
                sb.append('>');
            }
        } else if (fileOffset >= 0) {
            sb.append(": file offset 0x").append(Long.toHexString(fileOffset));
        }
        sb.append(": ");
        if (instruction != null) sb.append(instruction).append(": ");
        sb.append(message);
        if (expected != null || found != null) {
            sb.append(" (expected ").append(expected == null ? "-" : expected)
              .append(", found ").append(found == null ? "-" : found).append(')');
        }
        return sb.toString();
    }

    /** A single JSON object with every field; absent values are {@code null}. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        str(sb, "file", file).append(',');
        num(sb, "fileOffset", fileOffset).append(',');
        num(sb, "address", address).append(',');
        num(sb, "imageOffset", imageOffset).append(',');
        str(sb, "label", label).append(',');
        num(sb, "labelOffset", labelOffset).append(',');
        str(sb, "instruction", instruction).append(',');
        str(sb, "message", message).append(',');
        str(sb, "expected", expected).append(',');
        str(sb, "found", found);
        return sb.append('}').toString();
    }

    private static StringBuilder num(StringBuilder sb, String key, long v) {
        sb.append('"').append(key).append("\":");
        return v < 0 ? sb.append("null") : sb.append(v);
    }

    private static StringBuilder str(StringBuilder sb, String key, String v) {
        sb.append('"').append(key).append("\":");
        if (v == null) return sb.append("null");
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }
}
