package ring0.asm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Insn;
import ring0.isa.Width;

/**
 * Fixes every address: relaxes branches (each jmp/jcc to a label starts in
 * its 2-byte rel8 form and grows to rel32 when its target is out of reach,
 * repeating until nothing changes; the polls' jumps to the stop block too),
 * then places the control words, the import slots and {@code .data} after
 * {@code .text} as {@link Program} requires, encodes the final instructions
 * with their branch and RIP-relative displacements, and for a typed program
 * builds the {@code .ring0.types} section ({@link TypesSectionBuilder}).
 */
final class Layout {
    /** Largest {@code .text} section accepted, in bytes. */
    static final int MAX_TEXT = 64 << 20;
    static final int PAGE = 4096;

    private static final int JMP8 = Encoder.length(new Insn.Jmp(0, true));
    private static final int JMP32 = Encoder.length(new Insn.Jmp(0, false));
    private static final int JCC8 = Encoder.length(new Insn.Jcc(Cond.E, 0, true));
    private static final int JCC32 = Encoder.length(new Insn.Jcc(Cond.E, 0, false));
    private static final int CALL = Encoder.length(new Insn.Call(0));

    private final String file;
    private final Lowering lw;
    private final Reporter rep;
    private final List<TextItem> items;
    private final int[] length;
    private final boolean[] near;
    /** For branches and calls: the index of the instruction the target label precedes. */
    private final int[] target;
    private int[] offset;

    private Layout(String file, Lowering lw, Reporter rep) {
        this.file = file;
        this.lw = lw;
        this.rep = rep;
        this.items = lw.text();
        this.length = new int[items.size()];
        this.near = new boolean[items.size()];
        this.target = new int[items.size()];
    }

    /** Lays out and encodes the program; errors go to {@code rep} (and the result is then null). */
    static Program run(String file, Lowering lw, Reporter rep) {
        return new Layout(file, lw, rep).layout();
    }

    private Program layout() {
        if (!initialLengths()) return null;
        relax();
        int textSize = offset[items.size()];
        if (textSize > MAX_TEXT) {
            rep.error(1, 1, "text section exceeds the 64 MiB limit");
            return null;
        }
        int rwOffset = Math.max(PAGE, roundUp(textSize, PAGE));
        List<Service> imports = lw.imports();
        int dataOffset = Program.dataOffsetFor(rwOffset, imports.size());
        Map<String, Integer> image = new HashMap<>();
        lw.textLabels().forEach((name, index) -> image.put(name, offset[index]));
        lw.dataLabels().forEach((name, off) -> image.put(name, dataOffset + off));
        lw.importSlots().forEach((name, slot) -> image.put(name, Program.slotOffset(rwOffset, slot)));
        image.put(Lowering.STOP_SLOT, Program.slotOffset(rwOffset, imports.indexOf(Service.STOP)));
        image.put(Lowering.LIMIT_WORD, rwOffset);

        byte[] text = new byte[textSize];
        for (int k = 0; k < items.size(); k++) encode(k, image, text);
        if (rep.hasErrors()) return null;

        byte[] data = lw.data();
        List<Program.Symbol> symbols = new ArrayList<>();
        symbols(symbols, Program.Section.TEXT, lw.textLabels().keySet(), image, textSize);
        symbols(symbols, Program.Section.DATA, lw.dataLabels().keySet(), image, dataOffset + data.length);
        List<Program.Annotation> annotations = new ArrayList<>();
        for (Lowering.Draft d : lw.drafts()) {
            int at = switch (d.kind()) {
                case PRECONDITION -> image.get(d.label());
                case COERCION -> offset[d.textIndex()];
                case TYPE_DECL -> -1;
            };
            annotations.add(new Program.Annotation(d.kind(), d.label(), at, d.text(), file, d.line(), d.col()));
        }
        byte[] types = null;
        if (!lw.untyped()) {
            types = TypesSectionBuilder.build(annotations, codeLabels(image), dataLabels(dataOffset), rep);
            if (types == null) return null;
        }
        return new Program(file, text, rwOffset, imports, dataOffset, data, symbols,
                image.get(lw.entryName()), annotations, types);
    }

    /** The source's text labels (not the stop block's), in offset order. */
    private List<TypesSectionBuilder.CodeLabel> codeLabels(Map<String, Integer> image) {
        List<TypesSectionBuilder.CodeLabel> r = new ArrayList<>();
        for (String name : lw.textLabels().keySet()) {
            if (name.equals(Lowering.STOP_LABEL)) continue;
            Stmt.Label def = lw.labelDefinition(name);
            r.add(new TypesSectionBuilder.CodeLabel(name, def.name(), image.get(name), def.line(), def.col()));
        }
        r.sort(Comparator.comparingInt(TypesSectionBuilder.CodeLabel::offset));
        return r;
    }

    private List<TypesSectionBuilder.DataLabel> dataLabels(int dataOffset) {
        List<TypesSectionBuilder.DataLabel> r = new ArrayList<>();
        for (Lowering.DataItem d : lw.dataItems()) {
            Stmt.Label def = lw.labelDefinition(d.label());
            r.add(new TypesSectionBuilder.DataLabel(d.label(), dataOffset + lw.dataLabels().get(d.label()), d.kind(),
                    d.length(), def.line(), def.col()));
        }
        return r;
    }

    private static int roundUp(int v, int to) {
        return (v + to - 1) / to * to;
    }

    /** Lengths that do not depend on layout; every label-relative branch starts short unless forced near. */
    private boolean initialLengths() {
        for (int k = 0; k < items.size(); k++) {
            TextItem item = items.get(k);
            length[k] = switch (item) {
                case TextItem.Plain p -> encodedLength(p.insn(), item);
                case TextItem.RipRef r -> encodedLength(r.insn(), item);
                case TextItem.CallRel c -> {
                    target[k] = lw.textLabels().get(c.target().name());
                    yield CALL;
                }
                case TextItem.Branch b -> {
                    target[k] = lw.textLabels().get(b.target().name());
                    near[k] = b.reach() == OperandSyntax.Reach.NEAR;
                    yield branchLength(b, near[k]);
                }
            };
            if (length[k] < 0) return false;
        }
        return true;
    }

    private int encodedLength(Insn insn, TextItem at) {
        try {
            return Encoder.length(insn);
        } catch (RuntimeException e) {
            rep.error(at.line(), at.col(), "internal error: the encoder rejected " + insn + ": " + e.getMessage());
            return -1;
        }
    }

    private static int branchLength(TextItem.Branch b, boolean near) {
        if (b.cond() == null) return near ? JMP32 : JMP8;
        return near ? JCC32 : JCC8;
    }

    private void computeOffsets() {
        offset = new int[items.size() + 1];
        for (int k = 0; k < items.size(); k++) offset[k + 1] = offset[k] + length[k];
    }

    /** Distance from the end of branch or call {@code k} to its target. */
    private long rel(int k) {
        return (long) offset[target[k]] - offset[k + 1];
    }

    /** Grows out-of-reach automatic branches to rel32 until the layout is stable (lengths only grow). */
    private void relax() {
        boolean changed = true;
        while (changed) {
            computeOffsets();
            changed = false;
            for (int k = 0; k < items.size(); k++) {
                if (items.get(k) instanceof TextItem.Branch b && b.reach() == null && !near[k]
                        && !Width.BYTE.fitsSigned(rel(k))) {
                    near[k] = true;
                    length[k] = branchLength(b, true);
                    changed = true;
                }
            }
        }
    }

    private void encode(int k, Map<String, Integer> image, byte[] out) {
        TextItem item = items.get(k);
        Insn insn = switch (item) {
            case TextItem.Plain p -> p.insn();
            case TextItem.RipRef r -> {
                long disp = image.get(r.target().name()) + r.addend() - offset[k + 1];
                if (!Width.DWORD.fitsSigned(disp)) {
                    rep.error(r.line(), r.col(), "RIP-relative displacement to '" + r.target().name() + "' ("
                            + disp + ") does not fit 32 bits");
                    yield null;
                }
                yield RipFixup.withDisp(r.insn(), (int) disp);
            }
            case TextItem.CallRel c -> new Insn.Call((int) rel(k));
            case TextItem.Branch b -> {
                long rel = rel(k);
                boolean rel8 = !near[k];
                if (rel8 && !Width.BYTE.fitsSigned(rel)) {
                    rep.error(b.line(), b.col(), "short jump to '" + b.target().name() + "' is out of range ("
                            + rel + " bytes; a short jump reaches -128..127)");
                    yield null;
                }
                yield b.cond() == null ? new Insn.Jmp((int) rel, rel8) : new Insn.Jcc(b.cond(), (int) rel, rel8);
            }
        };
        if (insn == null) return;
        byte[] bytes;
        try {
            bytes = Encoder.encode(insn);
        } catch (RuntimeException e) {
            rep.error(item.line(), item.col(), "internal error: the encoder rejected " + insn + ": " + e.getMessage());
            return;
        }
        if (bytes.length != length[k]) {
            rep.error(item.line(), item.col(), "internal error: " + insn + " encoded in " + bytes.length
                    + " bytes, laid out as " + length[k]);
            return;
        }
        System.arraycopy(bytes, 0, out, offset[k], bytes.length);
    }

    private static void symbols(List<Program.Symbol> out, Program.Section section, Iterable<String> names,
                                Map<String, Integer> image, int end) {
        List<String> sorted = new ArrayList<>();
        names.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(image::get));
        for (int k = 0; k < sorted.size(); k++) {
            int at = image.get(sorted.get(k));
            int next = k + 1 < sorted.size() ? image.get(sorted.get(k + 1)) : end;
            out.add(new Program.Symbol(sorted.get(k), section, at, next - at));
        }
    }
}
