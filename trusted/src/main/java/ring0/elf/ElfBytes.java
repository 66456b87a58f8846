package ring0.elf;

/**
 * Bounds-checked little-endian reads from a file image. Every read that would
 * leave the file throws {@link MalformedElfException}, never an unchecked
 * exception, so the reader cannot be made to fail any other way.
 */
final class ElfBytes {
    private final byte[] b;

    ElfBytes(byte[] b) { this.b = b; }

    /** File length. */
    long length() { return b.length; }

    /** Throws unless {@code [off, off + len)} lies inside the file (both taken as unsigned). */
    void require(long off, long len, String what) throws MalformedElfException {
        if (off < 0 || len < 0 || off > b.length || len > b.length - off) {
            throw new MalformedElfException(off < 0 ? -1 : off,
                    what + " (0x" + Long.toHexString(len) + " bytes) lies outside the file");
        }
    }

    int u8(long off) throws MalformedElfException {
        require(off, 1, "byte");
        return b[(int) off] & 0xff;
    }

    int u16(long off) throws MalformedElfException {
        require(off, 2, "16-bit field");
        int i = (int) off;
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    /** Unsigned 32-bit value. */
    long u32(long off) throws MalformedElfException {
        require(off, 4, "32-bit field");
        int i = (int) off;
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    /** 64-bit value; values of 2^63 and above come back negative and must be rejected by the caller. */
    long u64(long off) throws MalformedElfException {
        return u32(off) | u32(off + 4) << 32;
    }

    /** A copy of {@code [off, off + len)}. */
    byte[] slice(long off, long len, String what) throws MalformedElfException {
        require(off, len, what);
        byte[] r = new byte[(int) len];
        System.arraycopy(b, (int) off, r, 0, (int) len);
        return r;
    }

    /** True if every byte of {@code [off, off + len)} is zero. */
    boolean allZero(long off, long len) throws MalformedElfException {
        require(off, len, "range");
        for (long i = off; i < off + len; i++) if (b[(int) i] != 0) return false;
        return true;
    }
}
