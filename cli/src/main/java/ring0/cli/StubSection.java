package ring0.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the {@code .ring0.stub} section (the Linux entry stub) and its
 * symbols in an ELF file that {@link ring0.elf.ElfReader} has already
 * accepted. The stub is not part of the typed program image, so the trusted
 * reader does not return it; this lookup exists only to show it in listings,
 * and answers "no stub" to anything unexpected rather than failing.
 */
final class StubSection {
    private StubSection() {}

    /** The section name the ELF writer gives the stub. */
    static final String NAME = ".ring0.stub";

    private static final int SHT_SYMTAB = 2;
    private static final int STT_SECTION = 3, STT_FILE = 4;

    /**
     * The stub's load address, its bytes and its symbols.
     *
     * @param address virtual address of the section
     * @param code    its contents
     * @param labels  symbols defined in the section (at least {@code _start} at the ELF entry point)
     */
    record Stub(long address, byte[] code, List<Labels.Label> labels) {}

    /** The stub section of {@code elf}, or empty if there is none or the headers do not make sense. */
    static Optional<Stub> find(byte[] elf) {
        try {
            return Optional.ofNullable(new Reader(elf).stub());
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            return Optional.empty(); // not the layout we expected: just don't show the stub
        }
    }

    /** Bounds-checked access to section headers; any inconsistency throws an unchecked exception. */
    private static final class Reader {
        private final byte[] elf;
        private final ByteBuffer b;
        private final int shoff, shentsize, shnum;

        Reader(byte[] elf) {
            this.elf = elf;
            this.b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            this.shoff = Math.toIntExact(b.getLong(0x28));
            this.shentsize = Short.toUnsignedInt(b.getShort(0x3a));
            this.shnum = Short.toUnsignedInt(b.getShort(0x3c));
            if (shentsize < 0x40) throw new IndexOutOfBoundsException("section header size " + shentsize);
        }

        Stub stub() {
            int names = Math.toIntExact(shLong(Short.toUnsignedInt(b.getShort(0x3e)), 0x18));
            for (int i = 0; i < shnum; i++) {
                if (!NAME.equals(cString(names + b.getInt(header(i))))) continue;
                long addr = shLong(i, 0x10);
                int off = Math.toIntExact(shLong(i, 0x18));
                int size = Math.toIntExact(shLong(i, 0x20));
                if (off < 0 || size < 0 || off > elf.length - size) return null;
                return new Stub(addr, Arrays.copyOfRange(elf, off, off + size), symbols(i, addr, size));
            }
            return null;
        }

        /** Function and object symbols defined in section {@code index}, plus {@code _start} at the entry point. */
        private List<Labels.Label> symbols(int index, long addr, int size) {
            List<Labels.Label> labels = new ArrayList<>();
            for (int s = 0; s < shnum; s++) {
                if (b.getInt(header(s) + 4) != SHT_SYMTAB) continue;
                int off = Math.toIntExact(shLong(s, 0x18));
                int count = Math.toIntExact(shLong(s, 0x20) / 24);
                int strings = Math.toIntExact(shLong(b.getInt(header(s) + 0x28), 0x18));
                for (int k = 0; k < count; k++) {
                    int e = Math.addExact(off, Math.multiplyExact(k, 24));
                    int type = b.get(e + 4) & 0xf;
                    if (Short.toUnsignedInt(b.getShort(e + 6)) != index || type == STT_SECTION || type == STT_FILE) continue;
                    String name = cString(strings + b.getInt(e));
                    if (name != null && !name.isEmpty()) labels.add(new Labels.Label(name, b.getLong(e + 8), b.getLong(e + 16)));
                }
            }
            long entry = b.getLong(0x18);
            if (labels.stream().noneMatch(l -> l.address() == entry) && entry >= addr && entry < addr + size) {
                labels.add(new Labels.Label("_start", entry, addr + size - entry));
            }
            return labels;
        }

        private int header(int i) {
            if (i < 0 || i >= shnum) throw new IndexOutOfBoundsException("section " + i);
            return Math.addExact(shoff, Math.multiplyExact(i, shentsize));
        }

        private long shLong(int i, int field) { return b.getLong(header(i) + field); }

        private String cString(int at) {
            if (at < 0 || at >= elf.length) return null;
            int end = at;
            while (end < elf.length && elf[end] != 0) end++;
            return new String(elf, at, end - at, StandardCharsets.ISO_8859_1);
        }
    }
}
