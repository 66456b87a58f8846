package ring0.isa;

/** Hex strings such as {@code "48 89 c8"} to bytes and back, for tests. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        String s = hex.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    static String string(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.append(i > from ? " " : "").append(String.format("%02x", b[i] & 0xFF));
        return sb.toString();
    }
}
