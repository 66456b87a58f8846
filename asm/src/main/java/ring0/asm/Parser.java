package ring0.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Turns source text into statements ({@link Stmt}). Purely syntactic: names
 * are resolved and values checked later. Errors are reported and the
 * offending line is skipped, so one run reports every syntax error.
 */
final class Parser {
    /** A label followed by the opening brace of a precondition. */
    private static final Pattern LABEL_BRACE = Pattern.compile("[ \t]*([A-Za-z_.][A-Za-z0-9_.]*)[ \t]*:[ \t]*\\{");
    /** The head of a type declaration, {@code type NAME =}. */
    private static final Pattern TYPE_DECL = Pattern.compile("[ \t]*(?i:type)[ \t]+([A-Za-z_.][A-Za-z0-9_.]*)[ \t]*=");

    /** Directives that emit data. */
    static final Set<String> DATA_DIRECTIVES =
            Set.of("db", "dw", "dd", "dq", "bytes", "zbytes", "words", "zwords", "align");

    /** Words that cannot name a label or constant. */
    private static final Set<String> KEYWORDS = Set.of("byte", "word", "dword", "qword", "rel", "short", "near");

    /** The legacy high-byte registers, which the model deliberately leaves out. */
    private static final Set<String> HIGH_BYTE = Set.of("ah", "bh", "ch", "dh");

    private static final int MAX_DEPTH = 200;

    /** Every register name (lower case) at every width. */
    private static final Map<String, Reg.Sized> REGISTERS = new HashMap<>();

    static {
        for (Reg r : Reg.values()) for (Width w : Width.values()) REGISTERS.put(r.name(w), new Reg.Sized(r, w));
    }

    private final String[] lines;
    private final Reporter rep;
    private final List<Stmt> out = new ArrayList<>();

    private Parser(String source, Reporter rep) {
        this.lines = source.split("\n", -1);
        for (int k = 0; k < lines.length; k++) {
            if (lines[k].endsWith("\r")) lines[k] = lines[k].substring(0, lines[k].length() - 1);
        }
        this.rep = rep;
    }

    /** Parses {@code source}; syntax errors go to {@code rep}. */
    static List<Stmt> parse(String source, Reporter rep) {
        Parser p = new Parser(source, rep);
        for (int i = 0; i < p.lines.length; i++) i = p.line(i);
        return p.out;
    }

    /** Parses the line at index {@code i}; returns the index of the last line consumed. */
    private int line(int i) {
        String s = lines[i];
        int lineNo = i + 1;
        int p = skipBlanks(s, 0);
        if (p == s.length() || s.charAt(p) == ';') return i;
        if (s.charAt(p) == '%') {
            coercion(s, lineNo, p);
            return i;
        }
        if (s.regionMatches(true, p, "type", 0, 4)) {
            Matcher m = TYPE_DECL.matcher(s);
            if (m.lookingAt()) {
                typeDecl(s, lineNo, m);
                return i;
            }
        }
        if (s.indexOf('{') >= 0) {
            Matcher m = LABEL_BRACE.matcher(s);
            if (m.lookingAt()) return precondition(i, m);
        }
        List<Token> tokens = Lexer.lex(s, lineNo, 0, rep);
        if (tokens != null) statementLine(lineNo, s, tokens, true);
        return i;
    }

    private void coercion(String s, int lineNo, int percent) {
        int end = annotationEnd(s, percent + 1);
        int start = skipBlanks(s, percent + 1);
        String text = s.substring(Math.min(start, end), end).strip();
        if (text.isEmpty()) {
            rep.error(lineNo, percent + 1, "empty coercion after '%'");
            return;
        }
        out.add(new Stmt.Coercion(text, lineNo, start + 1));
    }

    private void typeDecl(String s, int lineNo, Matcher m) {
        String name = m.group(1);
        int end = annotationEnd(s, m.end());
        int start = skipBlanks(s, m.end());
        String text = s.substring(Math.min(start, end), end).strip();
        if (text.isEmpty()) {
            rep.error(lineNo, m.start(1) + 1, "type '" + name + "' has no definition");
            return;
        }
        out.add(new Stmt.TypeDecl(name, text, lineNo, start + 1));
    }

    /** A label with a brace-delimited precondition, which may continue over several lines. */
    private int precondition(int i, Matcher m) {
        int lineNo = i + 1;
        Token label = new Token(Token.Kind.IDENT, m.group(1), m.start(1) + 1, m.end(1) + 1, 0, null);
        boolean valid = checkName(lineNo, label, "label");
        if (valid) out.add(new Stmt.Label(label.text(), lineNo, label.col()));
        int brace = m.end() - 1;
        StringBuilder text = new StringBuilder();
        int depth = 1;
        int ln = i;
        int k = brace + 1;
        while (true) {
            String s = lines[ln];
            while (k < s.length()) {
                char c = s.charAt(k);
                if (c == '{') depth++;
                if (c == '}' && --depth == 0) {
                    if (valid) out.add(new Stmt.Precondition(text.toString(), lineNo, brace + 2));
                    List<Token> rest = Lexer.lex(s, ln + 1, k + 1, rep);
                    if (rest != null) statementLine(ln + 1, s, rest, false);
                    return ln;
                }
                text.append(c);
                k++;
            }
            ln++;
            if (ln == lines.length) {
                rep.error(lineNo, brace + 1, "unterminated precondition: missing '}'");
                return ln - 1;
            }
            text.append('\n');
            k = 0;
        }
    }

    private static int skipBlanks(String s, int k) {
        while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) k++;
        return k;
    }

    /**
     * Where the annotation text starting at {@code from} ends: at the first {@code ;} outside
     * braces (a comment), or at the end of the line. Inside braces {@code ;} belongs to the
     * type syntax (it introduces facts).
     */
    private static int annotationEnd(String s, int from) {
        int depth = 0;
        for (int k = from; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '{') depth++;
            else if (c == '}' && depth > 0) depth--;
            else if (c == ';' && depth == 0) return k;
        }
        return s.length();
    }

    /** Checks that {@code t} may name a label or constant; reports and returns false if not. */
    private boolean checkName(int lineNo, Token t, String what) {
        String lower = t.text().toLowerCase(Locale.ROOT);
        if (REGISTERS.containsKey(lower) || HIGH_BYTE.contains(lower)) {
            rep.error(lineNo, t.col(), "'" + t.text() + "' is a register name and cannot be a " + what);
            return false;
        }
        if (KEYWORDS.contains(lower)) {
            rep.error(lineNo, t.col(), "'" + t.text() + "' is a reserved word and cannot be a " + what);
            return false;
        }
        if (t.text().chars().allMatch(ch -> ch == '.')) {
            rep.error(lineNo, t.col(), "invalid " + what + " name '" + t.text() + "'");
            return false;
        }
        return true;
    }

    private void statementLine(int lineNo, String text, List<Token> tokens, boolean allowLabel) {
        try {
            statement(new Cursor(lineNo, text, tokens), allowLabel);
        } catch (Reporter.Fail f) {
            // reported; skip the rest of the line
        }
    }

    private void statement(Cursor c, boolean allowLabel) {
        boolean labelled = false;
        if (allowLabel && c.size() >= 2 && c.peek().kind() == Token.Kind.IDENT && c.peekAt(1).is(":")) {
            Token label = c.next();
            c.next();
            if (checkName(c.line, label, "label")) out.add(new Stmt.Label(label.text(), c.line, label.col()));
            labelled = true;
        }
        if (c.atEnd()) return;
        Token first = c.next();
        if (first.kind() != Token.Kind.IDENT) throw c.fail(first, "expected a label, a directive or an instruction");
        if (!c.atEnd() && c.peek().isWord("equ")) {
            if (labelled) throw c.fail(c.peek(), "'equ' cannot follow a label");
            c.next();
            if (first.text().startsWith(".")) throw c.fail(first, "constant names cannot start with '.'");
            if (!checkName(c.line, first, "constant")) return;
            Expr e = expression(c);
            c.expectEnd();
            out.add(new Stmt.Equ(first.text(), e, c.line, first.col()));
            return;
        }
        String word = first.text().toLowerCase(Locale.ROOT);
        switch (word) {
            case "section", "import", "entry" -> {
                if (labelled) throw c.fail(first, "a label cannot be followed by '" + word + "'");
                directive(c, word);
            }
            case "untyped" -> {
                if (labelled) throw c.fail(first, "a label cannot be followed by 'untyped'");
                c.expectEnd();
                out.add(new Stmt.Untyped(c.line, first.col()));
            }
            case "type" -> throw c.fail(first, "expected 'type NAME = definition'");
            default -> {
                if (DATA_DIRECTIVES.contains(word)) data(c, word, first);
                else instruction(c, word, first);
            }
        }
    }

    private void directive(Cursor c, String word) {
        switch (word) {
            case "section" -> {
                Token name = c.expectIdent("a section name (.text or .data)");
                c.expectEnd();
                out.add(new Stmt.Section(name.text(), c.line, name.col()));
            }
            case "entry" -> {
                Token name = c.expectIdent("the entry label");
                c.expectEnd();
                out.add(new Stmt.Entry(name.text(), c.line, name.col()));
            }
            default -> {
                List<Stmt.Ident> names = new ArrayList<>();
                int col = c.atEnd() ? c.endCol() : c.peek().col();
                do {
                    Token name = c.expectIdent("a service name");
                    names.add(new Stmt.Ident(name.text(), name.col()));
                } while (c.accept(","));
                c.expectEnd();
                out.add(new Stmt.Import(names, c.line, col));
            }
        }
    }

    private void data(Cursor c, String directive, Token head) {
        List<Stmt.DataArg> args = new ArrayList<>();
        if (!c.atEnd()) {
            do {
                Token t = c.peekOrFail("a value");
                if (t.kind() == Token.Kind.STRING) {
                    c.next();
                    args.add(new Stmt.DataArg(t.bytes(), null, t.col()));
                } else {
                    args.add(new Stmt.DataArg(null, expression(c), t.col()));
                }
            } while (c.accept(","));
            c.expectEnd();
        }
        out.add(new Stmt.Data(directive, args, c.line, head.col()));
    }

    private void instruction(Cursor c, String mnemonic, Token head) {
        List<OperandSyntax> ops = new ArrayList<>();
        if (!c.atEnd()) {
            do ops.add(operand(c)); while (c.accept(","));
            c.expectEnd();
        }
        out.add(new Stmt.Instruction(mnemonic, ops, c.line, head.col()));
    }

    private OperandSyntax operand(Cursor c) {
        Token start = c.peekOrFail("an operand");
        Width size = sizeKeyword(start);
        if (size != null) c.next();
        Token t = c.peekOrFail("an operand");
        if (t.is("[")) {
            c.next();
            boolean rel = false;
            if (!c.atEnd() && c.peek().isWord("rel")) {
                c.next();
                rel = true;
            }
            Expr e = expression(c);
            Token close = c.peekOrFail("']'");
            if (!close.is("]")) throw c.fail(close, "expected ']'");
            c.next();
            return new OperandSyntax(size, null, true, rel, e, start.col(), c.text(start, close));
        }
        OperandSyntax.Reach reach = null;
        if (t.isWord("short") || t.isWord("near")) {
            reach = t.isWord("short") ? OperandSyntax.Reach.SHORT : OperandSyntax.Reach.NEAR;
            c.next();
        } else if (t.isWord("rel")) {
            throw c.fail(t, "'rel' goes inside the brackets: [rel label]");
        }
        Expr e = expression(c);
        return new OperandSyntax(size, reach, false, false, e, start.col(), c.text(start, c.last()));
    }

    private static Width sizeKeyword(Token t) {
        if (t.kind() != Token.Kind.IDENT) return null;
        return switch (t.text().toLowerCase(Locale.ROOT)) {
            case "byte" -> Width.BYTE;
            case "word" -> Width.WORD;
            case "dword" -> Width.DWORD;
            case "qword" -> Width.QWORD;
            default -> null;
        };
    }

    // ---- expressions: | ^ & (<< >>) (+ -) (* / %) unary primary, lowest precedence first ----

    private static final List<Set<String>> LEVELS = List.of(
            Set.of("|"), Set.of("^"), Set.of("&"), Set.of("<<", ">>"), Set.of("+", "-"), Set.of("*", "/", "%"));

    private Expr expression(Cursor c) {
        return binary(c, 0);
    }

    private Expr binary(Cursor c, int level) {
        if (level == LEVELS.size()) return unary(c);
        Expr left = binary(c, level + 1);
        while (!c.atEnd() && c.peek().kind() == Token.Kind.PUNCT && LEVELS.get(level).contains(c.peek().text())) {
            Token op = c.next();
            Expr right = binary(c, level + 1);
            left = new Expr.Binary(op.text(), left, right, op.col());
        }
        return left;
    }

    private Expr unary(Cursor c) {
        Token t = c.peekOrFail("an expression");
        if (t.is("-") || t.is("+") || t.is("~")) {
            c.next();
            c.enter(t);
            Expr operand = unary(c);
            c.depth--;
            return new Expr.Unary(t.text().charAt(0), operand, t.col());
        }
        return primary(c);
    }

    private Expr primary(Cursor c) {
        Token t = c.next();
        switch (t.kind()) {
            case NUMBER -> {
                return new Expr.Num(t.value(), t.col());
            }
            case IDENT -> {
                String lower = t.text().toLowerCase(Locale.ROOT);
                Reg.Sized r = REGISTERS.get(lower);
                if (r != null) return new Expr.RegRef(r.reg(), r.width(), t.col());
                if (HIGH_BYTE.contains(lower)) {
                    throw c.fail(t, "high-byte register '" + t.text() + "' is not supported (use the low byte, e.g. "
                            + lower.charAt(0) + "l)");
                }
                if (KEYWORDS.contains(lower)) throw c.fail(t, "unexpected '" + t.text() + "'");
                return new Expr.Name(t.text(), t.col());
            }
            case STRING -> throw c.fail(t, "a string is not allowed here");
            case PUNCT -> {
                if (t.is("(")) {
                    c.enter(t);
                    Expr e = expression(c);
                    Token close = c.peekOrFail("')'");
                    if (!close.is(")")) throw c.fail(close, "expected ')'");
                    c.next();
                    c.depth--;
                    return e;
                }
                throw c.fail(t, "expected an expression, found '" + t.text() + "'");
            }
        }
        throw new AssertionError(t.kind());
    }

    /** Reading position in the tokens of one line. */
    private final class Cursor {
        final int line;
        final String text;
        final List<Token> tokens;
        int pos;
        int depth;

        Cursor(int line, String text, List<Token> tokens) {
            this.line = line;
            this.text = text;
            this.tokens = tokens;
        }

        int size() { return tokens.size(); }

        boolean atEnd() { return pos >= tokens.size(); }

        Token peek() { return tokens.get(pos); }

        Token peekAt(int k) { return tokens.get(pos + k); }

        Token next() {
            if (atEnd()) throw rep.fail(line, endCol(), "unexpected end of line");
            return tokens.get(pos++);
        }

        Token last() { return tokens.get(pos - 1); }

        /** Column just after the last token (where a missing token would go). */
        int endCol() { return tokens.isEmpty() ? 1 : tokens.getLast().endCol(); }

        Token peekOrFail(String expected) {
            if (atEnd()) throw rep.fail(line, endCol(), "expected " + expected + " at end of line");
            return peek();
        }

        boolean accept(String punct) {
            if (!atEnd() && peek().is(punct)) {
                pos++;
                return true;
            }
            return false;
        }

        Token expectIdent(String expected) {
            Token t = peekOrFail(expected);
            if (t.kind() != Token.Kind.IDENT) throw fail(t, "expected " + expected);
            return next();
        }

        void expectEnd() {
            if (!atEnd()) throw fail(peek(), "unexpected '" + peek().text() + "'");
        }

        void enter(Token t) {
            if (++depth > MAX_DEPTH) throw fail(t, "expression too deeply nested");
        }

        String text(Token from, Token to) {
            return text.substring(from.col() - 1, to.endCol() - 1);
        }

        Reporter.Fail fail(Token t, String message) {
            return rep.fail(line, t.col(), message);
        }
    }
}
