package ring0.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TRUSTED. The parsed {@code .ring0.types} section (docs/types.md §11): type
 * definitions, code labels with preconditions, data labels, and coercions, in
 * section order. {@link #read} is strict: magic, version, counts, string
 * encodings, name syntax, offset order and every text are checked, and trailing
 * bytes are rejected. Where the offsets lie in the image is checked by the
 * {@link Checker}, which knows the image.
 */
public record TypesSection(TypeEnv env, List<LabelDecl> labels, List<DataDecl> data, List<CoercionDecl> coercions) {
    public TypesSection {
        labels = List.copyOf(labels);
        data = List.copyOf(data);
        coercions = List.copyOf(coercions);
    }

    /** The version this reader accepts. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'R', '0', 'T', 'Y', 'P', 'E', 'S', 0};

    /**
     * A code label.
     *
     * @param offset image offset
     * @param name   label name
     * @param text   the precondition as written
     * @param type   the parsed precondition, quantified over its variables
     * @param at     section offset of the record
     */
    public record LabelDecl(int offset, String name, String text, Type.Code type, int at) {}

    /** Kinds of data labels. */
    public enum DataKind {
        /** A byte array: length word n, then n bytes; type {@code bytes}. */
        BYTES,
        /** A word array: length word n, then n words; type {@code [int]}. */
        WORDS,
        /** One word, read and written as {@code int} through {@code [rel label]}. */
        WORD
    }

    /**
     * A data label.
     *
     * @param length element count for arrays (bytes or words), 1 for a word
     * @param at     section offset of the record
     */
    public record DataDecl(int offset, String name, DataKind kind, long length, int at) {
        /** Bytes the item occupies in {@code .data}, including its length word. */
        public long size() {
            return switch (kind) {
                case BYTES -> 8 + length;
                case WORDS -> 8 + 8 * length;
                case WORD -> 8;
            };
        }
    }

    /**
     * A coercion at an instruction.
     *
     * @param offset    image offset of the instruction it applies before
     * @param text      as written
     * @param coercion  parsed
     * @param label     index in {@link #labels} of the label whose region holds it
     * @param at        section offset of the record
     */
    public record CoercionDecl(int offset, String text, Coercion coercion, int label, int at) {}

    /** Parses and checks a {@code .ring0.types} section. */
    public static TypesSection read(byte[] section) throws TypesSectionException {
        try {
            return new Reader(section).section();
        } catch (RuntimeException e) {
            throw new TypesSectionException(0, "internal error reading the section: " + e);
        }
    }

    /**
     * The set of label and data label names read so far, for the check that they
     * all differ: open addressing over the names and their hashes, so adding a
     * name allocates nothing (but the table, when it grows).
     */
    private static final class NameSet {
        /** The table starts at most this large; it grows as names are added. */
        private static final int MAX_INITIAL_BITS = 16;
        private String[] names;
        private int[] hashes;
        private int bits;
        private int size;

        /** A set sized for about {@code expected} names. */
        NameSet(int expected) {
            int b = 4;
            while (b < MAX_INITIAL_BITS && (1 << b) < 2L * expected) b++;
            table(b);
        }

        private void table(int b) {
            bits = b;
            names = new String[1 << b];
            hashes = new int[1 << b];
        }

        /** Adds {@code name}; false if it was already in the set. */
        boolean add(String name) {
            int h = name.hashCode();
            int mask = names.length - 1;
            for (int i = slot(h); ; i = (i + 1) & mask) {
                String n = names[i];
                if (n == null) {
                    names[i] = name;
                    hashes[i] = h;
                    if (++size * 2 > names.length) grow();
                    return true;
                }
                if (hashes[i] == h && n.equals(name)) return false;
            }
        }

        private int slot(int h) {
            return (h * 0x9E3779B9) >>> (32 - bits);
        }

        /** Doubles the table, keeping it at most half full. */
        private void grow() {
            String[] oldNames = names;
            int[] oldHashes = hashes;
            table(bits + 1);
            int mask = names.length - 1;
            for (int j = 0; j < oldNames.length; j++) {
                if (oldNames[j] == null) continue;
                int i = slot(oldHashes[j]);
                while (names[i] != null) i = (i + 1) & mask;
                names[i] = oldNames[j];
                hashes[i] = oldHashes[j];
            }
        }
    }

    private static final class Reader {
        private final byte[] b;
        private final java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private int pos;

        Reader(byte[] b) { this.b = b; }

        TypesSection section() throws TypesSectionException {
            need(MAGIC.length, "magic");
            for (int i = 0; i < MAGIC.length; i++) {
                if (b[i] != MAGIC[i]) throw new TypesSectionException(0, "bad magic: not a .ring0.types section");
            }
            pos = MAGIC.length;
            int vAt = pos;
            long version = u32("version");
            if (version != VERSION) throw new TypesSectionException(vAt, "version " + version + " is not supported");

            int nTypes = count("type", 8);
            List<TypeSyntax.Definition> defs = new ArrayList<>();
            List<Integer> defAt = new ArrayList<>();
            for (int i = 0; i < nTypes; i++) {
                defAt.add(pos);
                String name = str("type name");
                String text = str("type definition");
                defs.add(new TypeSyntax.Definition(name, text));
            }
            TypeEnv env;
            try {
                env = TypeSyntax.parseDefinitions(defs);
            } catch (TypeSyntaxException e) {
                int i = Math.max(e.item(), 0);
                String which = e.item() >= 0 ? "type " + defs.get(i).name() : "types";
                throw new TypesSectionException(defs.isEmpty() ? pos : defAt.get(i), which + ": " + e.getMessage());
            }

            int nLabels = count("label", 12);
            // label and data label names, which must all differ; sized for the labels (the common case)
            NameSet names = new NameSet(nLabels);
            List<LabelDecl> labels = new ArrayList<>(nLabels);
            // Labels with the same precondition text share one parsed type. A label's type
            // is closed (every variable in it is quantified by it), so two labels with the
            // same text have the same meaning; sharing the object means the checker sees,
            // at a jump to the other label, exactly what it sees at a jump to the label itself.
            Map<String, Type.Code> parsed = new HashMap<>();
            for (int i = 0; i < nLabels; i++) {
                int at = pos;
                int off = offset();
                String name = labelName(names);
                String text = str("precondition");
                if (!labels.isEmpty() && off <= labels.getLast().offset()) {
                    throw new TypesSectionException(at, "label " + name + " does not come after the previous label");
                }
                Type.Code type = parsed.get(text);
                if (type == null) {
                    try {
                        type = TypeSyntax.parsePrecondition(text, env);
                    } catch (TypeSyntaxException e) {
                        throw new TypesSectionException(at, "precondition of " + name + ": " + e.getMessage());
                    }
                    parsed.put(text, type);
                }
                labels.add(new LabelDecl(off, name, text, type, at));
            }

            int nData = count("data label", 17);
            List<DataDecl> data = new ArrayList<>();
            for (int i = 0; i < nData; i++) {
                int at = pos;
                int off = offset();
                String name = labelName(names);
                int kindAt = pos;
                int kind = u8("data kind");
                if (kind < 1 || kind > 3) throw new TypesSectionException(kindAt, "unknown data kind " + kind + " of " + name);
                int lenAt = pos;
                long length = u64("data length");
                DataKind k = DataKind.values()[kind - 1];
                if (k == DataKind.WORD ? length != 1 : length < 0 || length > Integer.MAX_VALUE) {
                    throw new TypesSectionException(lenAt, "bad length " + Long.toUnsignedString(length) + " of data label " + name);
                }
                if (!data.isEmpty() && off <= data.getLast().offset()) {
                    throw new TypesSectionException(at, "data label " + name + " does not come after the previous data label");
                }
                data.add(new DataDecl(off, name, k, length, at));
            }

            int nCoerce = count("coercion", 8);
            List<CoercionDecl> coercions = new ArrayList<>();
            for (int i = 0; i < nCoerce; i++) {
                int at = pos;
                int off = offset();
                String text = str("coercion");
                if (!coercions.isEmpty() && off < coercions.getLast().offset()) {
                    throw new TypesSectionException(at, "coercions are not in offset order");
                }
                int label = labelAt(labels, off);
                if (label < 0) throw new TypesSectionException(at, "coercion before the first label");
                Coercion c;
                try {
                    c = TypeSyntax.parseCoercion(text, env, labels.get(label).type());
                } catch (TypeSyntaxException e) {
                    throw new TypesSectionException(at, "coercion '" + text + "': " + e.getMessage());
                }
                coercions.add(new CoercionDecl(off, text, c, label, at));
            }
            if (pos != b.length) throw new TypesSectionException(pos, "trailing bytes after the last record");
            return new TypesSection(env, labels, data, coercions);
        }

        /** Index of the last label at or before {@code off}, or -1. */
        private static int labelAt(List<LabelDecl> labels, int off) {
            int lo = 0, hi = labels.size() - 1, r = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (labels.get(mid).offset() <= off) {
                    r = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return r;
        }

        private String labelName(NameSet names) throws TypesSectionException {
            int at = pos;
            String n = str("name");
            if (n.isEmpty() || n.length() > 255) throw new TypesSectionException(at, "label name must have 1 to 255 characters");
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                if (c < 0x21 || c > 0x7e) throw new TypesSectionException(at, "label name is not printable ASCII");
            }
            if (!names.add(n)) throw new TypesSectionException(at, "label " + n + " is declared twice");
            return n;
        }

        /** A record count, which must be possible given the bytes left and the smallest record size. */
        private int count(String what, int minRecord) throws TypesSectionException {
            int at = pos;
            long n = u32(what, " count");
            if (n > (b.length - pos) / minRecord) throw new TypesSectionException(at, what + " count " + n + " exceeds the section");
            return (int) n;
        }

        private int offset() throws TypesSectionException {
            int at = pos;
            long v = u32("image offset");
            if (v > Integer.MAX_VALUE) throw new TypesSectionException(at, "image offset out of range");
            return (int) v;
        }

        private String str(String what) throws TypesSectionException {
            int at = pos;
            long len = u32(what, " length");
            if (len > b.length - pos) throw new TypesSectionException(at, what + " runs past the end of the section");
            try {
                String s = ascii(pos, (int) len) ? new String(b, pos, (int) len, StandardCharsets.US_ASCII)
                        : utf8.reset().decode(ByteBuffer.wrap(b, pos, (int) len)).toString();
                pos += (int) len;
                return s;
            } catch (CharacterCodingException e) {
                throw new TypesSectionException(at, what + " is not valid UTF-8");
            }
        }

        private boolean ascii(int from, int len) {
            for (int i = from; i < from + len; i++) if (b[i] < 0) return false;
            return true;
        }

        private int u8(String what) throws TypesSectionException {
            need(1, what);
            return b[pos++] & 0xff;
        }

        private long u32(String what) throws TypesSectionException {
            return u32(what, "");
        }

        /** A u32 named {@code what + suffix} in messages (joined only for a message). */
        private long u32(String what, String suffix) throws TypesSectionException {
            if (b.length - pos < 4) throw new TypesSectionException(pos, "section ends inside the " + what + suffix);
            long v = (b[pos] & 0xffL) | (b[pos + 1] & 0xffL) << 8 | (b[pos + 2] & 0xffL) << 16 | (b[pos + 3] & 0xffL) << 24;
            pos += 4;
            return v;
        }

        private long u64(String what) throws TypesSectionException {
            long lo = u32(what), hi = u32(what);
            return lo | hi << 32;
        }

        private void need(int n, String what) throws TypesSectionException {
            if (b.length - pos < n) throw new TypesSectionException(pos, "section ends inside the " + what);
        }
    }
}
