package ring0.verify;

import static ring0.isa.Width.BYTE;
import static ring0.isa.Width.QWORD;

import java.util.List;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * TRUSTED. The memory access rule (docs/types.md §6): which memory operands an
 * instruction may use, what reading them gives and what writing them needs.
 * Every operand is first resolved to a {@link Loc}; anything that does not
 * resolve is rejected, so no other memory is ever touched.
 */
final class Memory {
    /** A memory location a program may access. */
    sealed interface Loc {
        /** Stack slot {@code k} from the top ({@code [rsp+8k]}). */
        record Slot(int k) implements Loc {}
        /** Field {@code i} of the record {@code base}. */
        record Field(Value base, Type.Rec rec, int i) implements Loc {}
        /** The tag (field 0) of the sum-typed record {@code base}; read only. */
        record Tag(Value base) implements Loc {}
        /** The length word of an array or byte array; read only. */
        record Length(Value base) implements Loc {}
        /** An element of the word array {@code base}, of type {@code elem}. */
        record Elem(Value base, Type elem) implements Loc {}
        /** A byte of a byte array. */
        record ByteElem() implements Loc {}
        /** A data label declared {@code word}. */
        record DataWord() implements Loc {}
    }

    private final Region r;

    Memory(Region r) {
        this.r = r;
    }

    /** The location {@code m} refers to when accessed at width {@code w}. */
    Loc resolve(Mem m, Width w) throws IllTyped {
        if (m.rip()) {
            long target = (long) r.at + r.len + m.disp();
            TypesSection.DataDecl d = r.prog.dataAt(target);
            if (d != null && d.kind() == TypesSection.DataKind.WORD) {
                if (w != QWORD) throw r.reject("data word " + d.name() + " is accessed as a qword");
                return new Loc.DataWord();
            }
            throw r.reject("memory reference to " + describe(target) + ": only data words can be accessed by [rel label]");
        }
        Reg b = m.base(), ix = m.index();
        if (b == null) throw r.reject("memory operand without a base register");
        if (b == Reg.RSP) return slot(m, w);
        if (ix != null && m.scale() == 1 && r.isInt(r.st.reg(b)) && !r.st.reg(ix).junk() && !r.isInt(r.st.reg(ix))) {
            Reg t = b;   // [i + b + d] written with the pointer as index: the same address
            b = ix;
            ix = t;
        }
        Value bv = r.st.reg(b);
        if (bv.junk()) throw r.reject("base register " + Region.name(b) + " has no value (junk)");
        Type t = r.env.unfold(r.view(bv));
        String bn = Region.name(b);
        int disp = m.disp();
        return switch (t) {
            case Type.Opt o -> throw r.reject(bn + " may be null", Show.type(o.inner()), Show.type(o));
            case Type.Rec rec -> {
                if (ix != null) throw r.reject("record access needs [" + bn + "+8i] without an index register");
                if (disp < 0 || disp % 8 != 0 || disp / 8 >= rec.fields().size()) {
                    throw r.reject("record " + bn + " has no field at offset " + disp, null, Show.type(rec));
                }
                if (w != QWORD) throw r.reject("record fields are accessed as qwords");
                yield new Loc.Field(bv, rec, disp / 8);
            }
            case Type.Sum s -> {
                if (ix == null && disp == 0 && w == QWORD) yield new Loc.Tag(bv);
                throw r.reject("sum " + bn + ": only its tag [" + bn + "] can be accessed until a comparison of the tag selects a variant");
            }
            case Type.Arr a -> array(bv, bn, a, ix, m.scale(), disp, w);
            case Type.Bytes by -> bytes(bv, bn, ix, m.scale(), disp, w);
            default -> throw r.reject(bn + " is not a pointer to memory", "pointer", Show.type(t));
        };
    }

    private Loc slot(Mem m, Width w) throws IllTyped {
        if (m.index() != null) throw r.reject("stack slot access with an index register");
        if (m.disp() < 0 || m.disp() % 8 != 0) throw r.reject("stack slot access needs [rsp+8k] with k >= 0");
        int k = m.disp() / 8;
        if (k >= r.st.depth()) {
            throw r.reject("no stack slot " + k + ": only " + r.st.depth() + " slots above the stack variable " + r.st.tail.name());
        }
        if (w != QWORD) throw r.reject("stack slots are accessed as qwords");
        return new Loc.Slot(k);
    }

    private Loc array(Value bv, String bn, Type.Arr a, Reg ix, int scale, int disp, Width w) throws IllTyped {
        if (w != QWORD) throw r.reject("array elements are accessed as qwords");
        Term len = new Term.Len(bv.term());
        if (ix == null) {
            if (disp == 0) return new Loc.Length(bv);
            if (disp >= 8 && disp % 8 == 0) {
                long i = (disp - 8) / 8;
                if (!r.k.lt(new Term.Const(i), len)) throw r.reject("index " + i + " not proven < length of " + bn);
                return new Loc.Elem(bv, a.elem());
            }
            throw r.reject("array access needs [" + bn + "], [" + bn + "+8+8k] or [" + bn + "+i*8+8]");
        }
        if (scale != 8 || disp != 8) throw r.reject("array access needs [" + bn + "+i*8+8]");
        Value iv = r.intReg(ix);
        if (!r.k.lt(iv.term(), len)) throw r.reject("index " + Region.name(ix) + " not proven < length of " + bn);
        return new Loc.Elem(bv, a.elem());
    }

    private Loc bytes(Value bv, String bn, Reg ix, int scale, int disp, Width w) throws IllTyped {
        Term len = new Term.Len(bv.term());
        if (ix == null) {
            if (disp == 0) {
                if (w != QWORD) throw r.reject("the length word of " + bn + " is read as a qword");
                return new Loc.Length(bv);
            }
            if (disp >= 8) {
                if (w != BYTE) throw r.reject("the bytes of " + bn + " are accessed one byte at a time");
                long i = disp - 8;
                if (!r.k.lt(new Term.Const(i), len)) throw r.reject("index " + i + " not proven < length of " + bn);
                return new Loc.ByteElem();
            }
            throw r.reject("byte array access needs [" + bn + "], [" + bn + "+8+k] or [" + bn + "+i+8]");
        }
        if (scale != 1 || disp != 8) throw r.reject("byte array access needs [" + bn + "+i+8]");
        if (w != BYTE) throw r.reject("the bytes of " + bn + " are accessed one byte at a time");
        Value iv = r.intReg(ix);
        if (!r.k.lt(iv.term(), len)) throw r.reject("index " + Region.name(ix) + " not proven < length of " + bn);
        return new Loc.ByteElem();
    }

    /** What reading {@code loc} gives. */
    Value read(Loc loc) throws IllTyped {
        return switch (loc) {
            case Loc.Slot s -> {
                Value v = r.st.slot(s.k());
                if (v.junk()) throw r.reject("stack slot " + s.k() + " is junk");
                yield v;
            }
            case Loc.Field f -> {
                Type.Field fd = f.rec().fields().get(f.i());
                if (!fd.init()) throw r.reject("field " + f.i() + " is not initialized", Show.type(fd.type()), "~" + Show.type(fd.type()));
                yield r.fresh(fd.type());
            }
            case Loc.Tag t -> new Value(Type.INT, new Term.Tag(t.base().term()));
            case Loc.Length l -> new Value(Type.INT, new Term.Len(l.base().term()));
            case Loc.Elem e -> r.fresh(e.elem());
            case Loc.ByteElem b -> r.freshInt();
            case Loc.DataWord d -> r.freshInt();
        };
    }

    /** Writes {@code v} to {@code loc}, if {@code loc} may hold it. */
    void write(Loc loc, Value v) throws IllTyped {
        switch (loc) {
            case Loc.Slot s -> r.st.setSlot(s.k(), v);
            case Loc.Field f -> {
                Type.Field fd = f.rec().fields().get(f.i());
                if (v.junk() || !r.subtype(r.view(v), fd.type())) {
                    throw r.reject("field " + f.i() + " cannot hold this value", Show.type(fd.type()), r.show(v));
                }
                r.k.learnInit(f.base().term(), f.i());
            }
            case Loc.Tag t -> throw r.reject("the tag of a sum cannot be written");
            case Loc.Length l -> throw r.reject("the length word of an array cannot be written");
            case Loc.Elem e -> {
                if (v.junk() || !r.subtype(r.view(v), e.elem())) {
                    throw r.reject("array element cannot hold this value", Show.type(e.elem()), r.show(v));
                }
            }
            case Loc.ByteElem b -> r.requireInt(v, "stored byte");
            case Loc.DataWord d -> r.requireInt(v, "stored word");
        }
    }

    /** What an image offset is, for messages. */
    String describe(long target) {
        var img = r.prog.image;
        int li = r.prog.labelAt(target);
        if (li >= 0) return "code label " + r.prog.labels().get(li).name();
        if (target >= 0 && target < img.text().length) return ".text";
        if (target == Layout.limitOffset(img)) return "the limit word";
        int slot = Layout.slotAt(img, target);
        if (slot >= 0) return "the import slot of " + img.imports().get(slot).importName();
        TypesSection.DataDecl d = r.prog.dataAt(target);
        if (d != null) return "data label " + d.name();
        List<TypesSection.DataDecl> all = r.prog.types.data();
        for (TypesSection.DataDecl x : all) {
            if (target > x.offset() && target < x.offset() + x.size()) return "the inside of data label " + x.name();
        }
        return "image offset 0x" + Long.toHexString(target);
    }
}
