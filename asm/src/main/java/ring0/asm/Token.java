package ring0.asm;

/**
 * A lexical token of one source line.
 *
 * @param kind   what sort of token
 * @param text   the token as written (for strings: including the quotes)
 * @param col    1-based column of the first character
 * @param endCol 1-based column just after the last character
 * @param value  numeric value of a {@link Kind#NUMBER} (character literals are numbers)
 * @param bytes  contents of a {@link Kind#STRING}, escapes applied, UTF-8 encoded
 */
record Token(Kind kind, String text, int col, int endCol, long value, byte[] bytes) {

    /** Token kinds. */
    enum Kind { IDENT, NUMBER, STRING, PUNCT }

    /** True if this is the punctuation (or operator) {@code p}. */
    boolean is(String p) {
        return kind == Kind.PUNCT && text.equals(p);
    }

    /** True if this is an identifier equal to {@code word}, ignoring case. */
    boolean isWord(String word) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(word);
    }
}
