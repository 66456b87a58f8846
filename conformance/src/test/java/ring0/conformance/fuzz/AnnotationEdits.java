package ring0.conformance.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits of the annotation texts at the character and token level: a register
 * renamed, a type keyword or a number replaced, a {@code ?} or {@code ~}
 * added or removed, a fact operator changed or a fact added, a register entry
 * or a stack slot dropped or added, a character or a piece deleted, inserted,
 * duplicated, or a whole text taken from another record. Most edits keep the
 * text parseable, so the checker's rules, not only its parser, see them.
 */
final class AnnotationEdits {
    private AnnotationEdits() {}

    static final List<String> REGISTERS = List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
    private static final Pattern REGISTER = Pattern.compile("\\b(r[a-d]x|r[sd]i|r[bs]p|r[89]|r1[0-5])\\b");
    /** A word in type position (a keyword, a type name or variable: not followed by ':' or '('), or a singleton. */
    private static final Pattern TYPE_WORD = Pattern.compile("=-?\\d+|\\b[a-z][a-z0-9_]*\\b(?!\\s*[:(])");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern FACT_OP = Pattern.compile("<=s|<s|<=|==|!=|<");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*|\\d+|<=s|<s|<=|==|!=|::|\\S");
    private static final List<String> TYPES = List.of("int", "bytes", "junk", "[int]", "[bytes]", "bytes?", "[int]?",
            "{int}", "{int, int}", "{~int}", "=0", "=1", "=8", "=16", "=144", "=-1", "code{| s}", "code{rax: int | s}", "a", "b", "s",
            "exists a. a", "exists a. {a}", "{int}?");
    private static final List<String> NUMBERS = List.of("0", "1", "2", "7", "8", "9", "15", "16", "17", "144", "4095", "4096",
            "65536", "2147483647", "2147483648", "4294967295", "9223372036854775807", "18446744073709551615", "-1", "-8");
    private static final List<String> FACT_OPS = List.of("<", "<=", "==", "!=", "<s", "<=s");
    private static final String ALPHABET = "{}[]():,|;~?=<+. abcsrx0123456789";

    /** Edits one text of the draft's annotation records. */
    static void any(Draft d) {
        TypesModel t = d.types();
        List<String> vocabulary = new ArrayList<>(TYPES);
        t.types.forEach(x -> vocabulary.add(x.name()));
        int which = d.below(100);
        if (which < 15 && !t.types.isEmpty()) {
            int i = d.below(t.types.size());
            TypesModel.TypeDef def = t.types.get(i);
            d.step("in type " + def.name() + ":");
            String s = edit(d, def.text(), t.types.stream().map(TypesModel.TypeDef::text).toList(), vocabulary);
            t.types.set(i, new TypesModel.TypeDef(def.name(), s));
        } else if (which < 30 && !t.coercions.isEmpty()) {
            int i = d.below(t.coercions.size());
            TypesModel.Coercion c = t.coercions.get(i);
            d.step("in the coercion at text+" + ByteEdits.hex(c.offset()) + ":");
            String s = edit(d, c.text(), t.coercions.stream().map(TypesModel.Coercion::text).toList(), vocabulary);
            t.coercions.set(i, new TypesModel.Coercion(c.offset(), s));
        } else {
            int i = d.below(t.labels.size());
            TypesModel.Label l = t.labels.get(i);
            d.step("in the precondition of " + l.name() + ":");
            String s = edit(d, l.pre(), t.labels.stream().map(TypesModel.Label::pre).toList(), vocabulary);
            t.labels.set(i, new TypesModel.Label(l.offset(), l.name(), s));
        }
    }

    /**
     * One edit of {@code s}; {@code others} are texts of the same kind to borrow
     * from, {@code types} are types to put in (with the program's type names).
     */
    private static String edit(Draft d, String s, List<String> others, List<String> types) {
        String r = switch (d.below(18)) {
            case 0, 1 -> replaceMatch(d, s, REGISTER, d.pick(REGISTERS), "register");
            case 2, 3 -> replaceMatch(d, s, TYPE_WORD, d.pick(types), "type");
            case 4 -> replaceMatch(d, s, NUMBER, d.pick(NUMBERS), "number");
            case 5 -> replaceMatch(d, s, FACT_OP, d.pick(FACT_OPS), "fact operator");
            case 6 -> addFact(d, s);
            case 7 -> toggle(d, s, '?');
            case 8 -> toggle(d, s, '~');
            case 9 -> dropEntry(d, s);
            case 10 -> addEntry(d, s, types);
            case 11 -> stackSlot(d, s);
            case 12 -> swapTokens(d, s);
            case 13 -> charEdit(d, s);
            case 14 -> pieceEdit(d, s);
            case 15 -> {
                String o = d.pick(others);
                d.step("text := " + quote(o));
                yield o;
            }
            case 16 -> {
                String o = d.pick(others);
                int a = d.below(o.length() + 1), b = Math.min(o.length(), a + 1 + d.below(12));
                int at = d.below(s.length() + 1);
                d.step("splice " + quote(o.substring(a, b)) + " at " + at);
                yield s.substring(0, at) + o.substring(a, b) + s.substring(at);
            }
            default -> {
                int at = d.below(s.length() + 1);
                char c = (char) ('0' + d.below(10));
                int p = s.indexOf(Character.forDigit(d.below(10), 10));
                if (p >= 0) {
                    d.step("digit at " + p + " := " + c);
                    yield s.substring(0, p) + c + s.substring(p + 1);
                }
                d.step("insert digit " + c + " at " + at);
                yield s.substring(0, at) + c + s.substring(at);
            }
        };
        d.step("-> " + quote(r));
        return r;
    }

    /** Replaces one match of {@code p} in {@code s} by {@code with}. */
    private static String replaceMatch(Draft d, String s, Pattern p, String with, String what) {
        List<int[]> ms = matches(s, p);
        if (ms.isEmpty()) return charEdit(d, s);
        int[] m = d.pick(ms);
        d.step(what + " " + quote(s.substring(m[0], m[1])) + " := " + quote(with));
        return s.substring(0, m[0]) + with + s.substring(m[1]);
    }

    private static List<int[]> matches(String s, Pattern p) {
        List<int[]> r = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) r.add(new int[] {m.start(), m.end()});
        return r;
    }

    /** Adds a fact, between registers, lengths and numbers, to a precondition. */
    private static String addFact(Draft d, String s) {
        int close = s.lastIndexOf('}');
        if (close < 0) return charEdit(d, s);
        String fact = term(d) + " " + d.pick(FACT_OPS) + " " + term(d);
        boolean hasFacts = s.lastIndexOf(';') > s.lastIndexOf('|');
        d.step("add fact " + quote(fact));
        return s.substring(0, close) + (hasFacts ? ", " : "; ") + fact + s.substring(close);
    }

    private static String term(Draft d) {
        return switch (d.below(3)) {
            case 0 -> d.pick(REGISTERS);
            case 1 -> "len(" + d.pick(REGISTERS) + ")";
            default -> d.pick(NUMBERS);
        };
    }

    /** Removes one {@code c}, or inserts one after a type-ending character ({@code ?}) or before a type ({@code ~}). */
    private static String toggle(Draft d, String s, char c) {
        List<Integer> have = new ArrayList<>(), could = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == c) have.add(i);
            if (c == '?' && (x == '}' || x == ']' || Character.isLetterOrDigit(x)) && (i + 1 == s.length() || !Character.isLetterOrDigit(s.charAt(i + 1)))) could.add(i + 1);
            if (c == '~' && (x == '{' || x == ',') ) could.add(i + 1);
        }
        if (!have.isEmpty() && (could.isEmpty() || d.chance(40))) {
            int i = d.pick(have);
            d.step("remove " + c + " at " + i);
            return s.substring(0, i) + s.substring(i + 1);
        }
        if (could.isEmpty()) return charEdit(d, s);
        int i = d.pick(could);
        d.step("insert " + c + " at " + i);
        return s.substring(0, i) + c + s.substring(i);
    }

    /** Drops one {@code reg: type} entry of a precondition (depth-aware). */
    private static String dropEntry(Draft d, String s) {
        List<int[]> entries = new ArrayList<>();
        for (int[] m : matches(s, REGISTER)) {
            int colon = m[1];
            while (colon < s.length() && s.charAt(colon) == ' ') colon++;
            if (colon >= s.length() || s.charAt(colon) != ':' || depth(s, m[0]) != 1) continue;
            int end = colon + 1, depth = 0;
            while (end < s.length()) {
                char x = s.charAt(end);
                if (x == '{' || x == '[' || x == '(') depth++;
                if (x == '}' || x == ']' || x == ')') {
                    if (depth == 0) break;
                    depth--;
                }
                if (depth == 0 && (x == ',' || x == '|')) break;
                end++;
            }
            if (end < s.length() && s.charAt(end) == ',') end++;
            entries.add(new int[] {m[0], end});
        }
        if (entries.isEmpty()) return charEdit(d, s);
        int[] e = d.pick(entries);
        d.step("drop entry " + quote(s.substring(e[0], e[1])));
        return s.substring(0, e[0]) + s.substring(e[1]).stripLeading();
    }

    private static int depth(String s, int at) {
        int depth = 0;
        for (int i = 0; i < at; i++) {
            char x = s.charAt(i);
            if (x == '{' || x == '[' || x == '(') depth++;
            if (x == '}' || x == ']' || x == ')') depth--;
        }
        return depth;
    }

    /** Adds a {@code reg: type} entry at the front of a precondition. */
    private static String addEntry(Draft d, String s, List<String> types) {
        int open = s.indexOf('{');
        if (open < 0) return charEdit(d, s);
        String entry = d.pick(REGISTERS) + ": " + d.pick(types);
        boolean empty = s.substring(open + 1).stripLeading().startsWith("|");
        d.step("add entry " + quote(entry));
        return s.substring(0, open + 1) + entry + (empty ? " " : ", ") + s.substring(open + 1);
    }

    /** Drops the first stack slot, or pushes a slot, at the top of the stack after the {@code |}. */
    private static String stackSlot(Draft d, String s) {
        int bar = -1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '|' && depth(s, i) == 1) { bar = i; break; }
        if (bar < 0) return charEdit(d, s);
        int slotEnd = s.indexOf("::", bar);
        if (slotEnd >= 0 && depth(s, slotEnd) == 1 && d.chance(50)) {
            d.step("drop top stack slot " + quote(s.substring(bar + 1, slotEnd + 2).strip()));
            return s.substring(0, bar + 1) + " " + s.substring(slotEnd + 2).stripLeading();
        }
        String slot = d.pick(List.of("junk", "int", "junk :: junk", "bytes", "=0"));
        d.step("push stack slot " + quote(slot));
        return s.substring(0, bar + 1) + " " + slot + " ::" + s.substring(bar + 1);
    }

    private static String swapTokens(Draft d, String s) {
        List<int[]> ts = matches(s, TOKEN);
        if (ts.size() < 2) return charEdit(d, s);
        int i = d.below(ts.size()), j = d.below(ts.size());
        if (i == j) return charEdit(d, s);
        int[] a = ts.get(Math.min(i, j)), b = ts.get(Math.max(i, j));
        d.step("swap tokens " + quote(s.substring(a[0], a[1])) + " and " + quote(s.substring(b[0], b[1])));
        return s.substring(0, a[0]) + s.substring(b[0], b[1]) + s.substring(a[1], b[0]) + s.substring(a[0], a[1]) + s.substring(b[1]);
    }

    private static String charEdit(Draft d, String s) {
        if (!s.isEmpty() && d.chance(50)) {
            int at = d.below(s.length());
            d.step("delete " + quote(s.substring(at, at + 1)) + " at " + at);
            return s.substring(0, at) + s.substring(at + 1);
        }
        int at = d.below(s.length() + 1);
        char c = ALPHABET.charAt(d.below(ALPHABET.length()));
        d.step("insert " + quote(String.valueOf(c)) + " at " + at);
        return s.substring(0, at) + c + s.substring(at);
    }

    private static String pieceEdit(Draft d, String s) {
        if (s.isEmpty()) return charEdit(d, s);
        int a = d.below(s.length()), b = Math.min(s.length(), a + 1 + d.below(8));
        if (d.chance(50)) {
            d.step("delete " + quote(s.substring(a, b)));
            return s.substring(0, a) + s.substring(b);
        }
        d.step("duplicate " + quote(s.substring(a, b)));
        return s.substring(0, b) + s.substring(a, b) + s.substring(b);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }
}
