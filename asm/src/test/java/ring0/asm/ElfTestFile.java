package ring0.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test-side view of a file {@link ElfWriter} wrote, for locating and patching
 * header fields. Assumes the file is well-formed; the code under test is the
 * reader, not this.
 */
final class ElfTestFile {
    final byte[] bytes;
    private final ByteBuffer b;

    ElfTestFile(byte[] bytes) {
        this.bytes = bytes;
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    long u64(int off) { return b.getLong(off); }

    int u32(int off) { return b.getInt(off); }

    int u16(int off) { return Short.toUnsignedInt(b.getShort(off)); }

    ElfTestFile put64(int off, long v) { b.putLong(off, v); return this; }

    ElfTestFile put32(int off, int v) { b.putInt(off, v); return this; }

    ElfTestFile put16(int off, int v) { b.putShort(off, (short) v); return this; }

    int shoff() { return (int) u64(0x28); }

    int shnum() { return u16(0x3c); }

    /** File offset of section header {@code i}. */
    int sectionHeader(int i) { return shoff() + 64 * i; }

    /** File offset of the header of the section called {@code name}. */
    int sectionHeader(String name) {
        int strs = (int) u64(sectionHeader(u16(0x3e)) + 0x18);
        for (int i = 1; i < shnum(); i++) {
            int h = sectionHeader(i);
            if (cString(strs + u32(h)).equals(name)) return h;
        }
        throw new IllegalArgumentException("no section " + name);
    }

    int sectionIndex(String name) { return (sectionHeader(name) - shoff()) / 64; }

    /** File offset of the contents of section {@code name}. */
    int sectionOffset(String name) { return (int) u64(sectionHeader(name) + 0x18); }

    long sectionSize(String name) { return u64(sectionHeader(name) + 0x20); }

    /** File offset of program header {@code i}. */
    int programHeader(int i) { return (int) u64(0x20) + 56 * i; }

    String cString(int at) {
        int end = at;
        while (bytes[end] != 0) end++;
        return new String(bytes, at, end - at, StandardCharsets.ISO_8859_1);
    }
}
