package ring0.conformance.cases;

import java.util.ArrayList;
import java.util.List;

/**
 * The records of a case's annotation section: the honest ones the case's code
 * implies (offsets from the assembled object), then the case's lies applied
 * ({@code ## label-offset}, {@code ## extra-label}, ...).
 */
final class SectionRecords {
    private final List<SectionWriter.Label> labels = new ArrayList<>();
    private final List<SectionWriter.Data> data = new ArrayList<>();
    private final List<SectionWriter.Coercion> coercions = new ArrayList<>();
    private int version = SectionWriter.VERSION;
    private boolean absent;

    private SectionRecords() {}

    /** The records of case {@code c}, translated to {@code src} and assembled to {@code obj}. */
    static SectionRecords of(Case c, CaseSource src, ObjectFile obj) {
        SectionRecords r = new SectionRecords();
        for (CaseSource.LabelText l : src.labels()) r.labels.add(new SectionWriter.Label(obj.symbol(l.name()), l.name(), l.precondition()));
        for (Case.DataDecl d : c.data()) r.data.add(new SectionWriter.Data(obj.symbol(d.name()), d.name(), d.kindCode(), d.length()));
        for (int k = 0; k < src.coercions().size(); k++) {
            r.coercions.add(new SectionWriter.Coercion(obj.symbol("__c" + k), src.coercions().get(k)));
        }
        for (Case.Edit e : c.edits()) r.apply(e, obj);
        return r;
    }

    /** The section bytes, with the case's byte-level damage; null if the case has no section. */
    byte[] section(Case c) {
        if (absent) return null;
        return SectionWriter.damage(SectionWriter.write(version, c.types(), labels, data, coercions), c.edits());
    }

    private void apply(Case.Edit e, ObjectFile obj) {
        switch (e) {
            case Case.Edit.LabelOffset lo -> {
                int i = indexOf(lo.label());
                SectionWriter.Label old = labels.get(i);
                labels.set(i, new SectionWriter.Label(target(obj, lo.symbol(), old.offset(), lo.delta()), old.name(), old.precondition()));
            }
            case Case.Edit.ExtraLabel x -> labels.add(new SectionWriter.Label(obj.symbol(x.at()) + x.delta(), x.name(), x.precondition()));
            case Case.Edit.ExtraCoercion x -> coercions.add(new SectionWriter.Coercion(obj.symbol(x.at()) + x.delta(), x.text()));
            case Case.Edit.DataOffset x -> {
                for (int i = 0; i < data.size(); i++) {
                    SectionWriter.Data d = data.get(i);
                    if (d.name().equals(x.name())) {
                        data.set(i, new SectionWriter.Data(target(obj, x.symbol(), d.offset(), x.delta()), d.name(), d.kind(), d.length()));
                    }
                }
            }
            case Case.Edit.Version v -> version = v.version();
            case Case.Edit.NoSection n -> absent = true;
            case Case.Edit.Truncate t -> { }
            case Case.Edit.Append a -> { }
            case Case.Edit.Poke p -> { }
        }
    }

    /** {@code symbol + delta}; {@code delta} alone for an empty symbol; {@code old + delta} for none. */
    private static long target(ObjectFile obj, String symbol, long old, long delta) {
        if (symbol == null) return old + delta;
        return symbol.isEmpty() ? delta : obj.symbol(symbol) + delta;
    }

    private int indexOf(String name) {
        for (int i = 0; i < labels.size(); i++) if (labels.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no annotated label " + name);
    }
}
