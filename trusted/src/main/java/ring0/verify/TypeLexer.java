package ring0.verify;

import java.util.ArrayList;
import java.util.List;

/** Splits type text into tokens for {@link TypeSyntax}. */
final class TypeLexer {
    enum Kind { IDENT, NUM, PUNCT, END }

    /** A token; {@code value} is the number for {@link Kind#NUM}. */
    record Token(Kind kind, String text, long value, int pos) {}

    private TypeLexer() {}

    static List<Token> lex(String s, int item) throws TypeSyntaxException {
        List<Token> out = new ArrayList<>(s.length() / 3 + 2);
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (identStart(c)) {
                int j = i;
                while (j < n && identPart(s.charAt(j))) j++;
                out.add(new Token(Kind.IDENT, s.substring(i, j), 0, i));
                i = j;
            } else if (digit(c) || (c == '-' && i + 1 < n && digit(s.charAt(i + 1)))) {
                i = number(s, i, item, out);
            } else {
                String p = punct(s, i);
                if (p == null) {
                    String shown = c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format("U+%04X", (int) c);
                    throw new TypeSyntaxException(i, item, "unexpected character " + shown);
                }
                out.add(new Token(Kind.PUNCT, p, 0, i));
                i += p.length();
            }
        }
        out.add(new Token(Kind.END, "end of text", 0, n));
        return out;
    }

    private static String punct(String s, int i) {
        char c = s.charAt(i);
        char d = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        return switch (c) {
            case ':' -> d == ':' ? "::" : ":";
            case '<' -> {
                if (d == '=') yield signedSuffix(s, i + 2) ? "<=s" : "<=";
                yield signedSuffix(s, i + 1) ? "<s" : "<";
            }
            case '=' -> d == '=' ? "==" : "=";
            case '!' -> d == '=' ? "!=" : null;
            case '{', '}', '[', ']', '(', ')', ',', '|', ';', '?', '~', '+', '.' -> PUNCT_CHARS[c];
            default -> null;
        };
    }

    /** An 's' at {@code j} that is not the start of a longer identifier (so {@code <s} rather than {@code <} and a name). */
    private static boolean signedSuffix(String s, int j) {
        return j < s.length() && s.charAt(j) == 's' && (j + 1 >= s.length() || !identPart(s.charAt(j + 1)));
    }

    private static final String[] PUNCT_CHARS = new String[128];

    static {
        for (char c : "{}[](),|;?~+.".toCharArray()) PUNCT_CHARS[c] = String.valueOf(c);
    }

    private static int number(String s, int start, int item, List<Token> out) throws TypeSyntaxException {
        int i = start, n = s.length();
        boolean neg = s.charAt(i) == '-';
        if (neg) i++;
        boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
        int digits = hex ? i + 2 : i;
        int j = digits;
        while (j < n && (hex ? Character.digit(s.charAt(j), 16) >= 0 : digit(s.charAt(j)))) j++;
        if (j == digits) throw new TypeSyntaxException(start, item, "malformed number");
        if (j < n && identPart(s.charAt(j))) throw new TypeSyntaxException(start, item, "malformed number");
        String body = s.substring(digits, j);
        long v;
        try {
            v = Long.parseUnsignedLong(body, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            throw new TypeSyntaxException(start, item, "number does not fit in 64 bits");
        }
        if (neg) {
            if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) throw new TypeSyntaxException(start, item, "number does not fit in 64 bits");
            v = -v;
        }
        out.add(new Token(Kind.NUM, s.substring(start, j), v, start));
        return j;
    }

    static boolean identStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean identPart(char c) {
        return identStart(c) || digit(c);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
