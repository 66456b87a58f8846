package ring0.conformance.cases;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser for {@code .cases} files (format: {@code src/test/resources/cases/README.md}).
 * Strict: an unknown directive, a duplicate case name or a rejected case
 * without a place to be rejected at is an error, so a typo cannot silently
 * weaken a test.
 */
final class CaseFile {
    private CaseFile() {}

    /** The marker that ends a body line at which the rejection is expected. */
    static final String MARKER = "#<";

    private static final Pattern DIRECTIVE = Pattern.compile("##\\s*([a-z-]+)\\s*(?::\\s*(.*?))?\\s*");
    private static final Pattern REJECT = Pattern.compile("reject\\s+\"(.*)\"");
    private static final Pattern AT = Pattern.compile("([A-Za-z_][\\w.]*)\\s*(?:\\+\\s*(0x[0-9a-fA-F]+|\\d+))?");
    private static final Pattern SYM_PLUS = Pattern.compile("([A-Za-z_][\\w.]*)(?:\\s*([+-])\\s*(0x[0-9a-fA-F]+|\\d+))?");

    /** A malformed case file. */
    static final class FormatError extends RuntimeException {
        FormatError(String file, int line, String message) {
            super(file + ":" + line + ": " + message);
        }
    }

    /** Parses the whole file {@code file} with contents {@code text}. */
    static List<Case> parse(String file, String text) {
        List<Case> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Builder b = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].stripTrailing();
            int lineNo = i + 1;
            Matcher d = DIRECTIVE.matcher(raw);
            if (d.matches()) {
                String key = d.group(1);
                String value = d.group(2) == null ? "" : d.group(2);
                if (key.equals("case")) {
                    if (b != null) out.add(b.build());
                    if (value.isEmpty()) throw new FormatError(file, lineNo, "case without a name");
                    if (!names.add(value)) throw new FormatError(file, lineNo, "duplicate case name: " + value);
                    b = new Builder(file, value, lineNo);
                    continue;
                }
                if (b == null) throw new FormatError(file, lineNo, "directive before the first ## case");
                if (!b.body.isEmpty()) throw new FormatError(file, lineNo, "directive after the case's code");
                b.directive(key, value, lineNo);
                continue;
            }
            if (b == null) {
                if (!raw.isBlank() && !raw.startsWith("#")) {
                    throw new FormatError(file, lineNo, "text before the first ## case (use # comments)");
                }
                continue;
            }
            if (b.body.isEmpty()) {
                if (raw.isBlank()) continue;
                b.bodyLine = lineNo;
            }
            b.body.add(raw);
        }
        if (b != null) out.add(b.build());
        return out;
    }

    /** Parses a number: decimal or {@code 0x} hex, optionally signed. */
    static long number(String s) {
        String t = s.strip();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) t = t.substring(1);
        long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
        return negative ? -v : v;
    }

    private static final class Builder {
        final String file;
        final String name;
        final int line;
        Case.Expect expect;
        Case.Where where;
        String pending;
        final List<Case.TypeDecl> types = new ArrayList<>();
        final List<Case.DataDecl> data = new ArrayList<>();
        final List<String> imports = new ArrayList<>();
        String entry;
        final Set<String> noPoll = new LinkedHashSet<>();
        boolean omitStop;
        boolean elf;
        String dataAt;
        final List<Case.Edit> edits = new ArrayList<>();
        final List<String> body = new ArrayList<>();
        int bodyLine;

        Builder(String file, String name, int line) {
            this.file = file;
            this.name = name;
            this.line = line;
        }

        FormatError error(int lineNo, String message) {
            return new FormatError(file, lineNo, message);
        }

        void directive(String key, String value, int lineNo) {
            try {
                switch (key) {
                    case "expect" -> expect(value, lineNo);
                    case "at" -> where(value, lineNo);
                    case "pending" -> pending = value.isEmpty() ? "pending" : value;
                    case "type" -> {
                        int eq = value.indexOf('=');
                        if (eq < 0) throw error(lineNo, "## type needs NAME = definition");
                        types.add(new Case.TypeDecl(value.substring(0, eq).strip(), value.substring(eq + 1).strip()));
                    }
                    case "data" -> data.add(data(value, lineNo));
                    case "import" -> imports.addAll(words(value));
                    case "entry" -> entry = value;
                    case "nopoll" -> noPoll.addAll(words(value));
                    case "nostop" -> omitStop = true;
                    case "elf" -> elf = true;
                    case "data-at" -> dataAt = value;
                    case "label-offset" -> {
                        String[] t = target(value, lineNo);
                        edits.add(new Case.Edit.LabelOffset(t[0], t[1], Long.parseLong(t[2])));
                    }
                    case "extra-label" -> {
                        String[] p = value.split("\\s+", 3);
                        if (p.length != 3) throw error(lineNo, "## extra-label: SYM[+N] NAME {precondition}");
                        Matcher m = symPlus(p[0], lineNo);
                        edits.add(new Case.Edit.ExtraLabel(m.group(1), delta(m), p[1], p[2]));
                    }
                    case "extra-coercion" -> {
                        String[] p = value.split("\\s+", 2);
                        if (p.length != 2) throw error(lineNo, "## extra-coercion: SYM[+N] text");
                        Matcher m = symPlus(p[0], lineNo);
                        edits.add(new Case.Edit.ExtraCoercion(m.group(1), delta(m), p[1]));
                    }
                    case "data-offset" -> {
                        String[] t = target(value, lineNo);
                        edits.add(new Case.Edit.DataOffset(t[0], t[1], Long.parseLong(t[2])));
                    }
                    case "section" -> edits.add(section(value, lineNo));
                    default -> throw error(lineNo, "unknown directive ## " + key);
                }
            } catch (NumberFormatException e) {
                throw error(lineNo, "bad number in ## " + key + ": " + e.getMessage());
            }
        }

        /** {@code NAME +N}, {@code NAME -N}, {@code NAME =N} or {@code NAME =SYM[+-N]}: name, symbol or null, delta. */
        private String[] target(String value, int lineNo) {
            List<String> w = words(value);
            if (w.size() != 2) throw error(lineNo, "expected NAME +N | -N | =N | =SYMBOL[+N]");
            String v = w.get(1);
            if (!v.startsWith("=")) return new String[] {w.get(0), null, Long.toString(number(v))};
            String t = v.substring(1);
            if (Character.isDigit(t.charAt(0))) return new String[] {w.get(0), "", Long.toString(number(t))};
            Matcher m = symPlus(t, lineNo);
            return new String[] {w.get(0), m.group(1), Long.toString(delta(m))};
        }

        private Matcher symPlus(String s, int lineNo) {
            Matcher m = SYM_PLUS.matcher(s);
            if (!m.matches()) throw error(lineNo, "expected SYMBOL[+N], found " + s);
            return m;
        }

        private static long delta(Matcher m) {
            if (m.group(2) == null) return 0;
            long v = number(m.group(3));
            return m.group(2).equals("-") ? -v : v;
        }

        private void expect(String value, int lineNo) {
            if (expect != null) throw error(lineNo, "second ## expect");
            if (value.equals("accept")) {
                expect = new Case.Expect.Accept();
                return;
            }
            Matcher m = REJECT.matcher(value);
            if (!m.matches() || m.group(1).isBlank()) throw error(lineNo, "## expect: accept | reject \"message fragment\"");
            expect = new Case.Expect.Reject(m.group(1), null);
        }

        private void where(String value, int lineNo) {
            if (value.equals("section")) {
                where = new Case.Where.Section();
                return;
            }
            Matcher m = AT.matcher(value);
            if (!m.matches()) throw error(lineNo, "## at: LABEL[+0xN] | image+0xN | section");
            if (m.group(1).equals("image")) {
                where = new Case.Where.Image(m.group(2) == null ? 0 : (int) number(m.group(2)));
                return;
            }
            where = new Case.Where.At(m.group(1), m.group(2) == null ? 0 : (int) number(m.group(2)));
        }

        private Case.DataDecl data(String value, int lineNo) {
            List<String> w = words(value);
            if (w.size() < 3) throw error(lineNo, "## data: NAME bytes|words|word LENGTH [lenword=N] [payload=N] [init=HEX]");
            String kind = w.get(1);
            if (!List.of("bytes", "words", "word").contains(kind)) throw error(lineNo, "unknown data kind " + kind);
            long length = number(w.get(2));
            long lengthWord = length;
            long payload = switch (kind) {
                case "bytes" -> length;
                case "words" -> 8 * length;
                default -> 8;
            };
            byte[] init = new byte[0];
            for (String opt : w.subList(3, w.size())) {
                if (opt.startsWith("lenword=")) lengthWord = number(opt.substring(8));
                else if (opt.startsWith("payload=")) payload = number(opt.substring(8));
                else if (opt.startsWith("init=")) init = HexFormat.of().parseHex(opt.substring(5));
                else throw error(lineNo, "unknown data option " + opt);
            }
            return new Case.DataDecl(w.get(0), kind, length, lengthWord, payload, init);
        }

        private Case.Edit section(String value, int lineNo) {
            List<String> w = words(value);
            if (w.isEmpty()) throw error(lineNo, "empty ## section");
            return switch (w.get(0)) {
                case "none" -> new Case.Edit.NoSection();
                case "truncate" -> new Case.Edit.Truncate((int) number(w.get(1)));
                case "append" -> new Case.Edit.Append(HexFormat.of().parseHex(String.join("", w.subList(1, w.size()))));
                case "poke" -> new Case.Edit.Poke((int) number(w.get(1)),
                        HexFormat.of().parseHex(String.join("", w.subList(2, w.size()))));
                case "version" -> new Case.Edit.Version((int) number(w.get(1)));
                default -> throw error(lineNo, "unknown ## section edit " + w.get(0));
            };
        }

        private static List<String> words(String s) {
            return s.isBlank() ? List.of() : List.of(s.strip().split("[\\s,]+"));
        }

        Case build() {
            if (expect == null) throw error(line, "case '" + name + "' has no ## expect");
            if (body.isEmpty() && edits.stream().noneMatch(e -> e instanceof Case.Edit.NoSection)) {
                throw error(line, "case '" + name + "' has no code");
            }
            boolean marked = body.stream().anyMatch(l -> l.endsWith(MARKER));
            if (expect instanceof Case.Expect.Reject r) {
                if (where == null && marked) where = new Case.Where.Marker();
                if (where == null) throw error(line, "rejected case '" + name + "' needs a " + MARKER + " marker or ## at:");
                if (!(where instanceof Case.Where.Marker) && marked) {
                    throw error(line, "case '" + name + "' has both a marker and ## at:");
                }
                expect = new Case.Expect.Reject(r.fragment(), where);
            } else if (marked || where != null) {
                throw error(line, "accepted case '" + name + "' has a rejection place");
            }
            return new Case(file, name, line, expect, pending, types, data, imports, entry, noPoll, omitStop, elf,
                    dataAt, edits, body, bodyLine);
        }
    }
}
