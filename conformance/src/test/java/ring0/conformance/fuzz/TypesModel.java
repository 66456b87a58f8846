package ring0.conformance.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a {@code .ring0.types} section (docs/types.md §11) as editable
 * lists, for structural mutations: reorder, drop or add records, move offsets,
 * edit texts of any length. {@link #write()} serialises the lists in the
 * section format, whatever they hold (unsorted offsets, bad kinds, broken
 * text): that is what the mutations want the checker to see. Parsing trusts its
 * input (a seed's section, written by the assembler).
 */
final class TypesModel {
    record TypeDef(String name, String text) {}

    record Label(int offset, String name, String pre) {}

    /** A data label; kind 1 bytes, 2 words, 3 word (as in the section). */
    record Data(int offset, String name, int kind, long length) {
        /** Bytes it occupies in {@code .data}: the length word and the elements, or one word. */
        long size() {
            return switch (kind) {
                case 1 -> 8 + length;
                case 2 -> 8 + 8 * length;
                default -> 8;
            };
        }
    }

    record Coercion(int offset, String text) {}

    final List<TypeDef> types;
    final List<Label> labels;
    final List<Data> data;
    final List<Coercion> coercions;

    private TypesModel(List<TypeDef> types, List<Label> labels, List<Data> data, List<Coercion> coercions) {
        this.types = types;
        this.labels = labels;
        this.data = data;
        this.coercions = coercions;
    }

    /** An independent copy. */
    TypesModel copy() {
        return new TypesModel(new ArrayList<>(types), new ArrayList<>(labels), new ArrayList<>(data), new ArrayList<>(coercions));
    }

    /** Every text of the section (type definitions, preconditions, coercions) in section order. */
    List<String> texts() {
        List<String> r = new ArrayList<>();
        types.forEach(t -> r.add(t.text()));
        labels.forEach(l -> r.add(l.pre()));
        coercions.forEach(c -> r.add(c.text()));
        return r;
    }

    private static final byte[] MAGIC = {'R', '0', 'T', 'Y', 'P', 'E', 'S', 0};

    static TypesModel parse(byte[] section) {
        ByteBuffer b = ByteBuffer.wrap(section).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) if (b.get() != m) throw new IllegalArgumentException("not a .ring0.types section");
        if (b.getInt() != 1) throw new IllegalArgumentException("unknown .ring0.types version");
        List<TypeDef> types = new ArrayList<>();
        for (int i = b.getInt(); i > 0; i--) types.add(new TypeDef(str(b), str(b)));
        List<Label> labels = new ArrayList<>();
        for (int i = b.getInt(); i > 0; i--) labels.add(new Label(b.getInt(), str(b), str(b)));
        List<Data> data = new ArrayList<>();
        for (int i = b.getInt(); i > 0; i--) data.add(new Data(b.getInt(), str(b), b.get() & 0xff, b.getLong()));
        List<Coercion> coercions = new ArrayList<>();
        for (int i = b.getInt(); i > 0; i--) coercions.add(new Coercion(b.getInt(), str(b)));
        if (b.hasRemaining()) throw new IllegalArgumentException("trailing bytes in .ring0.types");
        return new TypesModel(types, labels, data, coercions);
    }

    byte[] write() {
        Out o = new Out();
        o.bytes(MAGIC).u32(1);
        o.u32(types.size());
        for (TypeDef t : types) o.str(t.name()).str(t.text());
        o.u32(labels.size());
        for (Label l : labels) o.u32(l.offset()).str(l.name()).str(l.pre());
        o.u32(data.size());
        for (Data d : data) o.u32(d.offset()).str(d.name()).u8(d.kind()).u64(d.length());
        o.u32(coercions.size());
        for (Coercion c : coercions) o.u32(c.offset()).str(c.text());
        return o.toByteArray();
    }

    private static String str(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static final class Out extends ByteArrayOutputStream {
        Out bytes(byte[] b) {
            writeBytes(b);
            return this;
        }

        Out u8(int v) {
            write(v);
            return this;
        }

        Out u32(int v) {
            for (int i = 0; i < 4; i++) write(v >>> 8 * i);
            return this;
        }

        Out u64(long v) {
            for (int i = 0; i < 8; i++) write((int) (v >>> 8 * i));
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u32(b.length).bytes(b);
        }
    }
}
