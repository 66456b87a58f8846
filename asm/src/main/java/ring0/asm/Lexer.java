package ring0.asm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one source line into tokens. A {@code ;} outside a string or
 * character literal starts a comment that runs to the end of the line.
 */
final class Lexer {
    private static final String ONE_CHAR_OPS = ",:[]()+-*/%~&|^{}=";

    private final String s;
    private final int line;
    private final Reporter rep;
    private int i;

    private Lexer(String s, int line, int start, Reporter rep) {
        this.s = s;
        this.line = line;
        this.i = start;
        this.rep = rep;
    }

    /**
     * Tokenizes {@code text} from index {@code start}.
     *
     * @return the tokens, or {@code null} after reporting a lexical error
     */
    static List<Token> lex(String text, int line, int start, Reporter rep) {
        try {
            return new Lexer(text, line, start, rep).all();
        } catch (Reporter.Fail f) {
            return null;
        }
    }

    static boolean identStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.';
    }

    static boolean identPart(char c) {
        return identStart(c) || c >= '0' && c <= '9';
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            if (i >= s.length() || s.charAt(i) == ';') return out;
            out.add(next());
        }
    }

    private Token next() {
        int start = i;
        char c = s.charAt(i);
        if (identStart(c)) {
            while (i < s.length() && identPart(s.charAt(i))) i++;
            return token(Token.Kind.IDENT, start, 0, null);
        }
        if (c >= '0' && c <= '9') return number(start);
        if (c == '"') return string(start);
        if (c == '\'') return character(start);
        if ((c == '<' || c == '>') && i + 1 < s.length() && s.charAt(i + 1) == c) {
            i += 2;
            return token(Token.Kind.PUNCT, start, 0, null);
        }
        if (ONE_CHAR_OPS.indexOf(c) >= 0) {
            i++;
            return token(Token.Kind.PUNCT, start, 0, null);
        }
        throw rep.fail(line, start + 1, "unexpected character " + describe(s.codePointAt(i)));
    }

    private static String describe(int cp) {
        if (cp >= 0x21 && cp < 0x7f) return "'" + (char) cp + "'";
        return String.format("U+%04X", cp);
    }

    private Token token(Token.Kind kind, int start, long value, byte[] bytes) {
        return new Token(kind, s.substring(start, i), start + 1, i + 1, value, bytes);
    }

    private Token number(int start) {
        while (i < s.length() && (identPart(s.charAt(i)) && s.charAt(i) != '.')) i++;
        String text = s.substring(start, i);
        String lower = text.toLowerCase();
        int radix = 10;
        String digits = lower;
        if (lower.startsWith("0x")) {
            radix = 16;
            digits = lower.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            digits = lower.substring(2);
        }
        digits = digits.replace("_", "");
        boolean valid = !digits.isEmpty() && !text.endsWith("_");
        for (int k = 0; valid && k < digits.length(); k++) valid = Character.digit(digits.charAt(k), radix) >= 0;
        if (!valid) throw rep.fail(line, start + 1, "invalid number '" + text + "'");
        long v;
        try {
            v = Long.parseUnsignedLong(digits, radix);
        } catch (NumberFormatException e) {
            throw rep.fail(line, start + 1, "number '" + text + "' does not fit 64 bits");
        }
        return token(Token.Kind.NUMBER, start, v, null);
    }

    private Token string(int start) {
        i++;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            if (i >= s.length()) throw rep.fail(line, start + 1, "unterminated string");
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return token(Token.Kind.STRING, start, 0, out.toByteArray());
            }
            if (c == '\\') {
                out.write(escape());
            } else {
                int cp = s.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i += Character.charCount(cp);
            }
        }
    }

    private Token character(int start) {
        i++;
        if (i >= s.length()) throw rep.fail(line, start + 1, "unterminated character literal");
        char c = s.charAt(i);
        int v;
        if (c == '\\') {
            v = escape();
        } else if (c == '\'' || c < 0x20 || c > 0x7e) {
            throw rep.fail(line, start + 1, "a character literal holds one printable ASCII character or an escape");
        } else {
            v = c;
            i++;
        }
        if (i >= s.length() || s.charAt(i) != '\'') {
            throw rep.fail(line, start + 1, "a character literal holds one printable ASCII character or an escape");
        }
        i++;
        return token(Token.Kind.NUMBER, start, v, null);
    }

    /** Reads an escape sequence at {@code i} (which is a backslash) and returns its byte value. */
    private int escape() {
        int at = i;
        if (i + 1 >= s.length()) throw rep.fail(line, at + 1, "unterminated escape sequence");
        char e = s.charAt(i + 1);
        i += 2;
        return switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '0' -> 0;
            case '\\' -> '\\';
            case '"' -> '"';
            case '\'' -> '\'';
            case 'x' -> {
                int hi = i < s.length() ? hexDigit(s.charAt(i)) : -1;
                int lo = i + 1 < s.length() ? hexDigit(s.charAt(i + 1)) : -1;
                if (hi < 0 || lo < 0) throw rep.fail(line, at + 1, "\\x needs two hexadecimal digits");
                i += 2;
                yield hi * 16 + lo;
            }
            default -> throw rep.fail(line, at + 1, "unknown escape sequence '\\" + e + "'");
        };
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
