package ring0.asm;

/** One section header as {@link ElfWriter} lays it out. */
record ElfSection(String name, int type, long flags, long addr, long offset, long size,
                  int link, int info, long align, long entsize) {

    private static final int SHT_PROGBITS = 1;

    /** A loaded PROGBITS section. */
    static ElfSection alloc(String name, long flags, long addr, long offset, long size, long align) {
        return new ElfSection(name, SHT_PROGBITS, flags, addr, offset, size, 0, 0, align, 0);
    }

    /** A section that is not loaded. */
    static ElfSection plain(String name, int type, long offset, long size, long align) {
        return new ElfSection(name, type, 0, 0, offset, size, 0, 0, align, 0);
    }

    /** This section with {@code sh_link}, {@code sh_info} and {@code sh_entsize} set. */
    ElfSection linked(int link, int info, long entsize) {
        return new ElfSection(name, type, flags, addr, offset, size, link, info, align, entsize);
    }

    void writeHeader(ElfOut o, int nameIndex) {
        o.u32(nameIndex).u32(type).u64(flags).u64(addr).u64(offset).u64(size)
                .u32(link).u32(info).u64(align).u64(entsize);
    }
}
