package ring0.conformance.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Structural edits of the annotation records: labels moved, swapped, dropped
 * or added (a label without its poll, a label in the middle of a region, two
 * labels' preconditions exchanged), coercions moved, dropped, duplicated or
 * invented, data labels given another offset, kind or length, type
 * definitions dropped or exchanged. The file is rebuilt around the edited
 * section, so only the records change.
 */
final class RecordEdits {
    private RecordEdits() {}

    private static final List<String> COERCIONS = List.of("unpack rax", "unpack rdi", "unpack rbx", "as rax : int",
            "as rdi : bytes", "as rax : bytes?", "as rsi : [int]", "as rbx : junk", "alloc {int}", "alloc {int, int}",
            "alloc {~int}", "pack rax as exists a. a", "pack rdi as exists a. {a}");

    static void any(Draft d) {
        TypesModel t = d.types();
        switch (d.below(16)) {
            case 0, 1, 2 -> moveLabel(d, t);
            case 3, 4 -> swapPreconditions(d, t);
            case 5 -> swapLabelOffsets(d, t);
            case 6 -> dropLabel(d, t);
            case 7 -> addLabel(d, t);
            case 8, 9 -> coercion(d, t);
            case 10, 11 -> data(d, t);
            case 12 -> resizeArray(d, t);
            case 13 -> typeDefs(d, t);
            case 14 -> entryLikeSwap(d, t);
            default -> swapLabelNames(d, t);
        }
    }

    private static void moveLabel(Draft d, TypesModel t) {
        int i = d.below(t.labels.size());
        TypesModel.Label l = t.labels.get(i);
        int to = switch (d.below(4)) {
            case 0 -> l.offset() + (d.below(17) - 8);
            case 1 -> d.pick(d.seed.insns()).offset();
            case 2 -> afterPoll(d, l.offset());
            default -> d.pick(d.seed.labelOffsets());
        };
        t.labels.set(i, new TypesModel.Label(to, l.name(), l.pre()));
        sortLabelsSometimes(d, t);
        d.step("label " + l.name() + " moved " + ByteEdits.hex(l.offset()) + " -> " + ByteEdits.hex(to));
    }

    /** Image offset of the first instruction after the poll of the label at {@code label}. */
    private static int afterPoll(Draft d, int label) {
        List<Seed.Instr> insns = d.seed.insns();
        for (int i = 0; i < insns.size(); i++) {
            if (insns.get(i).offset() == label) return i + 2 < insns.size() ? insns.get(i + 2).offset() : d.seed.textLength();
        }
        return label;
    }

    private static void sortLabelsSometimes(Draft d, TypesModel t) {
        if (d.chance(80)) t.labels.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
    }

    private static void swapPreconditions(Draft d, TypesModel t) {
        if (t.labels.size() < 2) return;
        int i = d.below(t.labels.size()), j = d.below(t.labels.size());
        if (i == j) return;
        TypesModel.Label a = t.labels.get(i), b = t.labels.get(j);
        t.labels.set(i, new TypesModel.Label(a.offset(), a.name(), b.pre()));
        t.labels.set(j, new TypesModel.Label(b.offset(), b.name(), a.pre()));
        d.step("preconditions of " + a.name() + " and " + b.name() + " exchanged");
    }

    /** The records stay in place, their offsets are exchanged (so they are out of order). */
    private static void swapLabelOffsets(Draft d, TypesModel t) {
        if (t.labels.size() < 2) return;
        int i = d.below(t.labels.size() - 1);
        TypesModel.Label a = t.labels.get(i), b = t.labels.get(i + 1);
        t.labels.set(i, new TypesModel.Label(b.offset(), a.name(), a.pre()));
        t.labels.set(i + 1, new TypesModel.Label(a.offset(), b.name(), b.pre()));
        d.step("offsets of labels " + a.name() + " and " + b.name() + " exchanged");
    }

    private static void swapLabelNames(Draft d, TypesModel t) {
        if (t.labels.size() < 2) return;
        int i = d.below(t.labels.size()), j = d.below(t.labels.size());
        if (i == j) return;
        TypesModel.Label a = t.labels.get(i), b = t.labels.get(j);
        t.labels.set(i, new TypesModel.Label(a.offset(), b.name(), a.pre()));
        t.labels.set(j, new TypesModel.Label(b.offset(), a.name(), b.pre()));
        d.step("names of labels " + a.name() + " and " + b.name() + " exchanged");
    }

    /** The entry label's precondition exchanged with another's (the entry is the meta's, it does not move). */
    private static void entryLikeSwap(Draft d, TypesModel t) {
        int entry = d.seed.program().entryOffset();
        for (int i = 0; i < t.labels.size(); i++) {
            if (t.labels.get(i).offset() != entry) continue;
            int j = d.below(t.labels.size());
            TypesModel.Label a = t.labels.get(i), b = t.labels.get(j);
            t.labels.set(i, new TypesModel.Label(a.offset(), a.name(), b.pre()));
            d.step("entry label " + a.name() + " takes the precondition of " + b.name());
            return;
        }
    }

    private static void dropLabel(Draft d, TypesModel t) {
        if (t.labels.size() < 2) return;
        TypesModel.Label l = t.labels.remove(d.below(t.labels.size()));
        d.step("label " + l.name() + " dropped");
    }

    private static void addLabel(Draft d, TypesModel t) {
        int at = d.pick(d.seed.insns()).offset();
        TypesModel.Label model = d.pick(t.labels);
        t.labels.add(new TypesModel.Label(at, "fuzz" + at, model.pre()));
        t.labels.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        d.step("label added at " + ByteEdits.hex(at) + " with the precondition of " + model.name());
    }

    private static void coercion(Draft d, TypesModel t) {
        int at = d.pick(d.seed.insns()).offset();
        if (t.coercions.isEmpty() || d.chance(25)) {
            String text = t.coercions.isEmpty() || d.chance(50) ? d.pick(COERCIONS) : d.pick(t.coercions).text();
            t.coercions.add(new TypesModel.Coercion(at, text));
            d.step("coercion '" + text + "' added at " + ByteEdits.hex(at));
        } else {
            int i = d.below(t.coercions.size());
            TypesModel.Coercion c = t.coercions.get(i);
            switch (d.below(3)) {
                case 0 -> {
                    t.coercions.remove(i);
                    d.step("coercion '" + c.text() + "' at " + ByteEdits.hex(c.offset()) + " dropped");
                }
                case 1 -> {
                    t.coercions.set(i, new TypesModel.Coercion(at, c.text()));
                    d.step("coercion '" + c.text() + "' moved " + ByteEdits.hex(c.offset()) + " -> " + ByteEdits.hex(at));
                }
                default -> {
                    t.coercions.add(new TypesModel.Coercion(at, c.text()));
                    d.step("coercion '" + c.text() + "' copied to " + ByteEdits.hex(at));
                }
            }
        }
        t.coercions.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
    }

    private static void data(Draft d, TypesModel t) {
        if (t.data.isEmpty()) return;
        int i = d.below(t.data.size());
        TypesModel.Data x = t.data.get(i);
        TypesModel.Data y = switch (d.below(6)) {
            case 0 -> new TypesModel.Data(x.offset() + 8 * (d.below(5) - 2), x.name(), x.kind(), x.length());
            case 1 -> new TypesModel.Data(x.offset(), x.name(), 1 + d.below(3), x.length());
            case 2 -> new TypesModel.Data(x.offset(), x.name(), x.kind(), x.length() + d.below(3) - 1);
            case 3 -> new TypesModel.Data(x.offset(), x.name(), x.kind(), d.pick(new long[] {0, 1, 2, 8, 144, x.length() * 2, 1L << 31, -1}));
            case 4 -> {
                TypesModel.Data o = d.pick(t.data);
                yield new TypesModel.Data(x.offset(), x.name(), o.kind(), o.length());
            }
            default -> null;
        };
        if (y == null) {
            t.data.remove(i);
            d.step("data label " + x.name() + " dropped");
        } else {
            t.data.set(i, y);
            d.step("data label " + x.name() + " " + show(x) + " -> " + show(y));
        }
    }

    /**
     * An array declared shorter or longer, with its length word to match, so
     * the checker's bounds proofs must hold for the new length. The last array
     * of {@code .data} usually takes the data's end with it, so that what runs
     * past it can fault; a longer array that is not the last overlaps the next.
     */
    private static void resizeArray(Draft d, TypesModel t) {
        List<Integer> arrays = new ArrayList<>();
        for (int i = 0; i < t.data.size(); i++) if (t.data.get(i).kind() != 3) arrays.add(i);
        if (arrays.isEmpty()) return;
        int i = d.pick(arrays);
        TypesModel.Data x = t.data.get(i);
        long n = x.length();
        long to = d.pick(new long[] {0, 1, n / 2, n - 1, n + 1, n * 2, 8});
        if (to < 0 || to == n || to > 1 << 20) return;
        int at = x.offset() - d.seed.program().dataOffset();
        if (at < 0 || at + 8 > d.data().length) return;  // an earlier edit moved the record off the data
        TypesModel.Data y = new TypesModel.Data(x.offset(), x.name(), x.kind(), to);
        t.data.set(i, y);
        long end = at + y.size();
        boolean last = i == t.data.size() - 1;
        if (end > d.data().length || last && d.chance(70)) d.resizeData((int) ((end + 15) / 16 * 16));
        ByteEdits.put(d.data(), at, to, 8);
        d.step("array " + x.name() + " resized " + n + " -> " + to + " (length word too; .data now " + d.data().length + " bytes)");
    }

    private static String show(TypesModel.Data x) {
        return "(at " + ByteEdits.hex(x.offset()) + " kind " + x.kind() + " length " + x.length() + ")";
    }

    private static void typeDefs(Draft d, TypesModel t) {
        if (t.types.isEmpty()) return;
        if (t.types.size() >= 2 && d.chance(50)) {
            int i = d.below(t.types.size()), j = d.below(t.types.size());
            TypesModel.TypeDef a = t.types.get(i), b = t.types.get(j);
            t.types.set(i, new TypesModel.TypeDef(a.name(), b.text()));
            t.types.set(j, new TypesModel.TypeDef(b.name(), a.text()));
            d.step("definitions of types " + a.name() + " and " + b.name() + " exchanged");
        } else if (d.chance(50)) {
            TypesModel.TypeDef a = t.types.remove(d.below(t.types.size()));
            d.step("type " + a.name() + " dropped");
        } else {
            Collections.reverse(t.types);
            d.step("type definitions reversed");
        }
    }
}
