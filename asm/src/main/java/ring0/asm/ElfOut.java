package ring0.asm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A growable little-endian byte buffer for building ELF files. */
final class ElfOut {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int size() { return out.size(); }

    ElfOut u8(int v) { out.write(v); return this; }

    ElfOut u16(int v) { return u8(v).u8(v >>> 8); }

    ElfOut u32(long v) { return u16((int) v).u16((int) (v >>> 16)); }

    ElfOut u64(long v) { return u32(v).u32(v >>> 32); }

    ElfOut bytes(byte[] b) { out.write(b, 0, b.length); return this; }

    ElfOut ascii(String s) { return bytes(s.getBytes(StandardCharsets.US_ASCII)); }

    /** Pads with zeros up to file offset {@code offset}. */
    ElfOut padTo(long offset) {
        if (offset < size()) throw new IllegalStateException("cannot pad backwards to 0x" + Long.toHexString(offset));
        while (size() < offset) out.write(0);
        return this;
    }

    /** Pads with zeros to a multiple of {@code align}. */
    ElfOut align(int align) { return padTo((size() + align - 1) / align * align); }

    byte[] toByteArray() { return out.toByteArray(); }

    /** A string table under construction: offset 0 is the empty string. */
    static final class Strings {
        private final ElfOut table = new ElfOut().u8(0);

        /** Adds {@code s} and returns its index; the empty string is index 0. */
        int add(String s) {
            if (s.isEmpty()) return 0;
            int at = table.size();
            table.ascii(s).u8(0);
            return at;
        }

        byte[] bytes() { return table.toByteArray(); }
    }
}
