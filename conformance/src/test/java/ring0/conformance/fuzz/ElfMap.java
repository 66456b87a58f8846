package ring0.conformance.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where things are in a ring0 ELF file written by {@code ElfWriter}: the file
 * range of every section by name, of the ELF header, of the program header
 * table and of each section header. The fuzzer aims mutations with it; it
 * trusts its input (a seed, or a seed with a rebuilt annotation section), so it
 * is not a validator.
 *
 * @param sections        file range of each section's contents, by name, in header order
 * @param sectionHeaders  file range of each section's header, by name
 * @param programHeaders  file range of each program header, in table order
 */
record ElfMap(Map<String, Range> sections, Map<String, Range> sectionHeaders, Range[] programHeaders) {

    /** A half-open range {@code [start, start + length)} of file offsets. */
    record Range(int start, int length) {
        int end() { return start + length; }

        boolean contains(int offset) { return offset >= start && offset < end(); }

        boolean overlaps(Range o) { return start < o.end() && o.start < end(); }
    }

    static final int EHDR = 64, PHDR = 56, SHDR = 64;

    /** The section {@code name}, or null. */
    Range section(String name) { return sections.get(name); }

    /** Maps {@code elf}. */
    static ElfMap of(byte[] elf) {
        long phoff = u64(elf, 32), shoff = u64(elf, 40);
        int phnum = u16(elf, 56), shnum = u16(elf, 60), shstrndx = u16(elf, 62);
        Range[] ph = new Range[phnum];
        for (int i = 0; i < phnum; i++) ph[i] = new Range(Math.toIntExact(phoff + (long) i * PHDR), PHDR);
        int strOff = Math.toIntExact(u64(elf, (int) shoff + shstrndx * SHDR + 24));
        Map<String, Range> secs = new LinkedHashMap<>(), hdrs = new LinkedHashMap<>();
        for (int i = 1; i < shnum; i++) {
            int h = Math.toIntExact(shoff + (long) i * SHDR);
            String name = cString(elf, strOff + u32(elf, h));
            secs.put(name, new Range(Math.toIntExact(u64(elf, h + 24)), Math.toIntExact(u64(elf, h + 32))));
            hdrs.put(name, new Range(h, SHDR));
        }
        return new ElfMap(secs, hdrs, ph);
    }

    static int u16(byte[] b, int at) { return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8; }

    static int u32(byte[] b, int at) { return u16(b, at) | u16(b, at + 2) << 16; }

    static long u64(byte[] b, int at) { return (u32(b, at) & 0xffffffffL) | (long) u32(b, at + 4) << 32; }

    private static String cString(byte[] b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = at; b[i] != 0; i++) sb.append((char) (b[i] & 0xff));
        return sb.toString();
    }
}
