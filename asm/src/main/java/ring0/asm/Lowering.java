package ring0.asm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;
import ring0.verify.TypesSection;

/**
 * Gives the parsed statements their meaning: sections, labels and scopes,
 * imports, constants, instruction selection and data. Pass 1 collects the
 * definitions (so references may point forward); pass 2 emits instructions
 * and data. Layout-dependent values are left to {@link Layout}.
 *
 * <p>Pass 2 also emits what the checker requires of every program
 * (docs/types.md §7): the stop block at offset 0 ({@code call [rel stop]},
 * {@code jmp} back to it, under the label {@value #STOP_LABEL}), and the poll
 * ({@code cmp rsp, [rel limit word]}, {@code jbe} to the stop block) at the
 * start of every text label. The {@code stop} service is always imported,
 * in slot 0.
 */
final class Lowering implements Operands.Resolver {

    /** An annotation waiting for layout to give it an image offset. */
    record Draft(Program.Annotation.Kind kind, String label, int textIndex, String text, int line, int col) {}

    /**
     * A data label that the types section describes: the first label of a
     * {@code bytes}/{@code zbytes} item (a byte array of {@code length}
     * bytes), a {@code words}/{@code zwords} item (a word array of
     * {@code length} words), or a {@code dq} of one value (a global int).
     */
    record DataItem(String label, TypesSection.DataKind kind, long length, int line, int col) {}

    /** Name of the stop block's label, at image offset 0. Reserved: no source label may have it. */
    static final String STOP_LABEL = "__stop";
    /** Layout's name for the {@code stop} import slot (not a source name: it cannot clash with one). */
    static final String STOP_SLOT = "stop@slot";
    /** Layout's name for the limit word (not a source name). */
    static final String LIMIT_WORD = "limit@word";

    private static final int TEXT = 0;
    private static final int DATA = 1;

    private final Reporter rep;
    private final List<Stmt> stmts;

    // pass 1: definitions
    private final Map<String, Target.Kind> labelKinds = new LinkedHashMap<>();
    private final Map<String, Stmt.Label> labelDefs = new HashMap<>();
    private final Map<Stmt.Label, String> fullNames = new IdentityHashMap<>();
    private final Map<String, Stmt.Equ> constants = new LinkedHashMap<>();
    private final Map<Stmt.Equ, Boolean> firstEqu = new IdentityHashMap<>();
    private final List<Service> imports = new ArrayList<>();
    private final Map<String, Integer> importSlots = new HashMap<>();
    private Stmt.Entry entry;
    private boolean untyped;

    // pass 2: contents
    private final List<TextItem> text = new ArrayList<>();
    private final Map<String, Integer> textLabels = new LinkedHashMap<>();
    private final DataBuilder data = new DataBuilder();
    private final List<Draft> drafts = new ArrayList<>();
    private final List<DataItem> dataItems = new ArrayList<>();
    private final List<Stmt.Coercion> pendingCoercions = new ArrayList<>();
    private byte[] dataBytes;

    private final Evaluator ev;
    private final Operands operands;
    private final Mnemonics mnemonics;

    // walking state, shared by both passes
    private int section;
    private final String[] scope = new String[2];

    /**
     * @param untyped true to treat the program as untyped even without an
     *                {@code untyped} directive
     */
    Lowering(Reporter rep, List<Stmt> stmts, boolean untyped) {
        this.rep = rep;
        this.stmts = stmts;
        this.untyped = untyped;
        this.ev = new Evaluator(rep, constants);
        ev.setNames(this);
        this.operands = new Operands(rep, ev, this);
        this.mnemonics = new Mnemonics(rep, this);
    }

    /** Runs both passes; errors go to the reporter. */
    void run() {
        definitions();
        contents();
    }

    // ---- results, for Layout ----

    List<TextItem> text() { return text; }

    /** Text labels and the index of the instruction each precedes. */
    Map<String, Integer> textLabels() { return textLabels; }

    /** Data labels and their offsets in {@code .data}. */
    Map<String, Integer> dataLabels() { return data.labels(); }

    byte[] data() { return dataBytes; }

    /** The imported services in slot order: {@code stop} first, then the source's imports. */
    List<Service> imports() { return imports; }

    /** The names the source imported, and their slot indices. */
    Map<String, Integer> importSlots() { return importSlots; }

    List<Draft> drafts() { return drafts; }

    /** The data labels the types section describes, in {@code .data} order. */
    List<DataItem> dataItems() { return dataItems; }

    /** Where text or data label {@code fullName} is defined. */
    Stmt.Label labelDefinition(String fullName) { return labelDefs.get(fullName); }

    /** True if the program has no types section: an {@code untyped} directive, or the caller said so. */
    boolean untyped() { return untyped; }

    /** The entry label's full name. */
    String entryName() { return entry == null ? "main" : entry.name(); }

    // ---- pass 1 ----

    private void definitions() {
        imports.add(Service.STOP);
        for (Stmt st : stmts) {
            switch (st) {
                case Stmt.Section s -> section(s, true);
                case Stmt.Label l -> define(l);
                case Stmt.Equ e -> {
                    Stmt.Equ first = constants.putIfAbsent(e.name(), e);
                    if (first != null) {
                        rep.error(e.line(), e.col(), "duplicate constant '" + e.name() + "' (first defined at "
                                + first.line() + ":" + first.col() + ")");
                    } else {
                        firstEqu.put(e, true);
                    }
                }
                case Stmt.Import im -> {
                    for (Stmt.Ident n : im.names()) {
                        Service s = Service.byName(n.name());
                        if (s == null) rep.error(im.line(), n.col(), "unknown import '" + n.name() + "'");
                        else if (importSlots.containsKey(n.name())) {
                            rep.error(im.line(), n.col(), "duplicate import '" + n.name() + "'");
                        } else if (s == Service.STOP) {
                            importSlots.put(n.name(), 0);  // always imported; this only makes the name usable
                        } else {
                            importSlots.put(n.name(), imports.size());
                            imports.add(s);
                        }
                    }
                }
                case Stmt.Untyped u -> untyped = true;
                case Stmt.Entry e -> {
                    if (entry != null) {
                        rep.error(e.line(), e.col(), "duplicate entry directive (first at " + entry.line() + ":"
                                + entry.col() + ")");
                    } else {
                        entry = e;
                    }
                }
                default -> { }
            }
        }
        for (Stmt.Equ e : constants.values()) {
            Stmt.Label l = labelDefs.get(e.name());
            if (l != null) {
                rep.error(e.line(), e.col(), "constant '" + e.name() + "' conflicts with the label defined at "
                        + l.line() + ":" + l.col());
            }
        }
        for (String name : importSlots.keySet()) {
            Stmt.Label l = labelDefs.get(name);
            if (l != null) rep.error(l.line(), l.col(), "label '" + name + "' conflicts with the import of the same name");
            Stmt.Equ e = constants.get(name);
            if (e != null) rep.error(e.line(), e.col(), "constant '" + name + "' conflicts with the import of the same name");
        }
        checkEntry();
        section = TEXT;
        scope[TEXT] = null;
        scope[DATA] = null;
    }

    private void section(Stmt.Section s, boolean report) {
        switch (s.name()) {
            case ".text" -> section = TEXT;
            case ".data" -> section = DATA;
            default -> {
                if (report) rep.error(s.line(), s.col(), "unknown section '" + s.name() + "' (sections are .text and .data)");
            }
        }
    }

    /** The full name of a label written {@code name} in the current section's scope, or null. */
    private String qualify(String name) {
        if (!name.startsWith(".")) return name;
        return scope[section] == null ? null : scope[section] + name;
    }

    private void define(Stmt.Label l) {
        String full = qualify(l.name());
        if (!l.name().startsWith(".")) scope[section] = l.name();
        if (full == null) {
            rep.error(l.line(), l.col(), "local label '" + l.name() + "' has no enclosing non-local label in this section");
            return;
        }
        if (full.equals(STOP_LABEL)) {
            rep.error(l.line(), l.col(), "'" + STOP_LABEL + "' is reserved for the stop block");
            return;
        }
        Stmt.Label first = labelDefs.putIfAbsent(full, l);
        if (first != null) {
            rep.error(l.line(), l.col(), "duplicate label '" + full + "' (first defined at " + first.line() + ":"
                    + first.col() + ")");
            return;
        }
        labelKinds.put(full, section == TEXT ? Target.Kind.TEXT : Target.Kind.DATA);
        fullNames.put(l, full);
    }

    private void checkEntry() {
        String name = entryName();
        int line = entry == null ? 1 : entry.line();
        int col = entry == null ? 1 : entry.col();
        Target.Kind k = labelKinds.get(name);
        if (k == null) {
            rep.error(line, col, entry == null
                    ? "no entry label: define 'main', or name another label with 'entry'"
                    : "entry label '" + name + "' is not defined");
        } else if (k != Target.Kind.TEXT) {
            rep.error(line, col, "entry label '" + name + "' is not in .text");
        }
    }

    // ---- name resolution (Operands.Resolver) ----

    @Override
    public Target resolve(String written, int line, int col) {
        String full = qualify(written);
        Target.Kind k = full == null ? null : labelKinds.get(full);
        if (k != null) return new Target(full, k);
        if (importSlots.containsKey(written)) return new Target(written, Target.Kind.IMPORT);
        if (Service.byName(written) != null) {
            throw rep.fail(line, col, "'" + written + "' is not imported (add 'import " + written + "')");
        }
        if (constants.containsKey(written)) throw rep.fail(line, col, "'" + written + "' is a constant, not a label");
        if (full != null && !full.equals(written)) {
            throw rep.fail(line, col, "undefined label '" + written + "' (looked up as '" + full + "')");
        }
        throw rep.fail(line, col, "undefined label '" + written + "'");
    }

    @Override
    public boolean isAddress(String written) {
        String full = qualify(written);
        return full != null && labelKinds.containsKey(full) || importSlots.containsKey(written);
    }

    // ---- pass 2 ----

    private void contents() {
        stopBlock();
        String lastLabel = null;
        for (Stmt st : stmts) {
            String label = null;
            try {
                switch (st) {
                    case Stmt.Section s -> section(s, false);
                    case Stmt.Label l -> {
                        if (!l.name().startsWith(".")) scope[section] = l.name();
                        label = fullNames.get(l);
                        if (label != null) {
                            if (section == TEXT) {
                                textLabels.put(label, text.size());
                                poll(l);
                            } else {
                                data.label(label);
                            }
                        }
                    }
                    case Stmt.Precondition p -> {
                        if (lastLabel != null && labelKinds.get(lastLabel) == Target.Kind.DATA && !untyped) {
                            rep.error(p.line(), p.col(), "data label '" + lastLabel + "' cannot have a precondition: "
                                    + "its type follows from its directive (bytes, words, or dq of one value)");
                        } else if (lastLabel != null) {
                            drafts.add(new Draft(Program.Annotation.Kind.PRECONDITION, lastLabel, -1, p.text(),
                                    p.line(), p.col()));
                        }
                    }
                    case Stmt.TypeDecl t -> drafts.add(new Draft(Program.Annotation.Kind.TYPE_DECL, t.name(), -1, t.text(),
                            t.line(), t.col()));
                    case Stmt.Coercion c -> {
                        if (section == DATA) throw rep.fail(c.line(), c.col(), "a coercion applies to an instruction: not allowed in .data");
                        pendingCoercions.add(c);
                    }
                    case Stmt.Equ e -> {
                        if (firstEqu.containsKey(e)) ev.constant(e.name());
                    }
                    case Stmt.Import im -> { }
                    case Stmt.Entry e -> { }
                    case Stmt.Untyped u -> { }
                    case Stmt.Instruction in -> instruction(in);
                    case Stmt.Data d -> data(d);
                }
            } catch (Reporter.Fail f) {
                // reported; continue with the next statement
            }
            lastLabel = label;
        }
        for (Stmt.Coercion c : pendingCoercions) {
            rep.error(c.line(), c.col(), "coercion is not followed by an instruction");
        }
        dataBytes = data.finish();
    }

    /** The stop block at offset 0, where every poll jumps: {@code call [rel stop]}, then {@code jmp} back to it. */
    private void stopBlock() {
        textLabels.put(STOP_LABEL, text.size());
        text.add(new TextItem.RipRef(new Insn.CallInd(Mem.rip(0)), new Target(STOP_SLOT, Target.Kind.IMPORT), 0, 1, 1));
        text.add(new TextItem.Branch(null, new Target(STOP_LABEL, Target.Kind.TEXT), OperandSyntax.Reach.SHORT, 1, 1));
    }

    /** The poll that starts every text label: {@code cmp rsp, [rel limit word]}, {@code jbe} the stop block. */
    private void poll(Stmt.Label at) {
        text.add(new TextItem.RipRef(new Insn.Alu(Insn.AluOp.CMP, Width.QWORD, Reg.RSP, Mem.rip(0)),
                new Target(LIMIT_WORD, Target.Kind.IMPORT), 0, at.line(), at.col()));
        text.add(new TextItem.Branch(Cond.BE, new Target(STOP_LABEL, Target.Kind.TEXT), null, at.line(), at.col()));
    }

    private void instruction(Stmt.Instruction in) {
        if (section == DATA) throw rep.fail(in.line(), in.col(), "instructions are not allowed in .data");
        if (scope[TEXT] == null && !untyped) {
            throw rep.fail(in.line(), in.col(), "instruction before the first label: in a typed program every "
                    + "instruction belongs to a label (or declare the program 'untyped')");
        }
        TextItem item = mnemonics.select(in, operands.convert(in.operands(), in.line()));
        for (Stmt.Coercion c : pendingCoercions) {
            if (scope[TEXT] == null) {
                rep.error(c.line(), c.col(), "coercion outside any label");
            } else {
                drafts.add(new Draft(Program.Annotation.Kind.COERCION, scope[TEXT], text.size(), c.text(), c.line(), c.col()));
            }
        }
        pendingCoercions.clear();
        text.add(item);
    }

    // ---- data directives ----

    private void data(Stmt.Data d) {
        if (section == TEXT) {
            throw rep.fail(d.line(), d.col(), "data directive '" + d.directive() + "' is not allowed in .text "
                    + "(the checker accepts only instructions there): put it in .data");
        }
        List<Stmt.DataArg> args = d.args();
        switch (d.directive()) {
            case "db" -> scalars(d, Width.BYTE);
            case "dw" -> scalars(d, Width.WORD);
            case "dd" -> scalars(d, Width.DWORD);
            case "dq" -> scalars(d, Width.QWORD);
            case "bytes" -> byteArray(d);
            case "words" -> wordArray(d);
            case "zbytes", "zwords" -> {
                long n = count(d);
                boolean words = d.directive().equals("zwords");
                if (n < 0 || n > DataBuilder.MAX_SIZE || !data.room(8 + (words ? 8 * n : n))) {
                    throw rep.fail(d.line(), args.getFirst().col(), "'" + d.directive() + " " + n
                            + "' is out of range (0 to the 64 MiB data limit)");
                }
                data.align(8);
                typedItem(d, data.bind(), words ? TypesSection.DataKind.WORDS : TypesSection.DataKind.BYTES, n);
                data.little(n, 8);
                data.zeros(words ? 8 * n : n);
            }
            case "align" -> {
                long n = count(d);
                if (n < 1 || n > 16 || (n & (n - 1)) != 0) {
                    throw rep.fail(d.line(), args.getFirst().col(), "align " + n + ": must be a power of two from 1 to 16");
                }
                data.align((int) n);
            }
            default -> throw new AssertionError(d.directive());
        }
    }

    /**
     * Records the item of directive {@code d} for the types section under the
     * first of the labels just bound to it; the others are aliases, which the
     * checker does not know (it allows one label per item).
     */
    private void typedItem(Stmt.Data d, List<String> bound, TypesSection.DataKind kind, long length) {
        if (!bound.isEmpty()) dataItems.add(new DataItem(bound.getFirst(), kind, length, d.line(), d.col()));
    }

    private long count(Stmt.Data d) {
        if (d.args().size() != 1) throw rep.fail(d.line(), d.col(), "'" + d.directive() + "' takes one value");
        return value(d, d.args().getFirst());
    }

    /** A data value: a constant expression (labels are addresses, which data cannot hold). */
    private long value(Stmt.Data d, Stmt.DataArg a) {
        if (a.string() != null) {
            throw rep.fail(d.line(), a.col(), "strings are only allowed in 'db' and 'bytes'");
        }
        Linear l = ev.linear(a.expr(), d.line());
        for (Linear.NameTerm t : l.names()) {
            if (isAddress(t.name())) {
                throw rep.fail(d.line(), t.col(), "label '" + t.name() + "' in data: absolute addresses are not "
                        + "supported (the code is position-independent; compute addresses at run time with "
                        + "lea reg, [rel " + t.name() + "])");
            }
        }
        return ev.constant(a.expr(), d.line());
    }

    private void needItems(Stmt.Data d) {
        if (d.args().isEmpty()) throw rep.fail(d.line(), d.col(), "'" + d.directive() + "' needs at least one item");
    }

    private void tooBig(Stmt.Data d) {
        throw rep.fail(d.line(), d.col(), "data section exceeds the 64 MiB limit");
    }

    private void scalars(Stmt.Data d, Width w) {
        needItems(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Stmt.DataArg a : d.args()) {
            if (a.string() != null && w == Width.BYTE) {
                out.writeBytes(a.string());
                continue;
            }
            long v = value(d, a);
            if (!w.fits(v)) throw rep.fail(d.line(), a.col(), "value " + v + " does not fit " + w.keyword());
            for (int k = 0; k < w.bytes; k++) out.write((int) (v >>> (8 * k)));
        }
        if (!data.room(out.size())) tooBig(d);
        List<String> bound = data.bind();
        if (w == Width.QWORD && d.args().size() == 1) typedItem(d, bound, TypesSection.DataKind.WORD, 1);
        data.bytes(out.toByteArray());
    }

    private void byteArray(Stmt.Data d) {
        needItems(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Stmt.DataArg a : d.args()) {
            if (a.string() != null) {
                out.writeBytes(a.string());
                continue;
            }
            long v = value(d, a);
            if (v < 0 || v > 255) throw rep.fail(d.line(), a.col(), "byte array item " + v + " is out of range 0..255");
            out.write((int) v);
        }
        if (!data.room(8L + out.size())) tooBig(d);
        data.align(8);
        typedItem(d, data.bind(), TypesSection.DataKind.BYTES, out.size());
        data.little(out.size(), 8);
        data.bytes(out.toByteArray());
    }

    private void wordArray(Stmt.Data d) {
        needItems(d);
        List<Long> values = new ArrayList<>();
        for (Stmt.DataArg a : d.args()) values.add(value(d, a));
        if (!data.room(8L + 8L * values.size())) tooBig(d);
        data.align(8);
        typedItem(d, data.bind(), TypesSection.DataKind.WORDS, values.size());
        data.little(values.size(), 8);
        for (long v : values) data.little(v, 8);
    }
}
