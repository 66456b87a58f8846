package ring0.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reader for ring0 executables (TRUSTED). Accepts exactly the shape
 * described in {@code docs/abi.md}: a static little-endian ELF64 x86-64
 * executable whose {@code .text}, {@code .ring0.imports} and {@code .data}
 * sections form one program image with the layout {@code .ring0.meta}
 * declares, each loaded by its own program header with exactly the right
 * permissions. Every other file is rejected with a {@link MalformedElfException}
 * that gives the file offset and the reason; no other exception escapes.
 */
public final class ElfReader {
    private static final int EHDR_SIZE = 64, PHDR_SIZE = 56, SHDR_SIZE = 64, SYM_SIZE = 24;
    private static final int PAGE = 4096;
    private static final int ET_EXEC = 2, EM_X86_64 = 62;
    private static final int SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8;
    private static final long SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
    private static final int PT_LOAD = 1, PT_NOTE = 4, PT_GNU_STACK = 0x6474e551;
    private static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int MAX_HEADERS = 4096;
    /** Longest section or symbol name: bounds the cost of reading many names out of one long string. */
    private static final int MAX_NAME = 4096;
    /** Highest user-space address of the x86-64 4-level address space. */
    private static final long USER_TOP = 1L << 47;

    private final ElfBytes f;
    /** The file itself, for reading names in place; only within ranges {@link #f} has bounds-checked. */
    private final byte[] file;

    private ElfReader(byte[] file) {
        this.f = new ElfBytes(file);
        this.file = file;
    }

    /**
     * Validates {@code file} and extracts its program image.
     *
     * @throws MalformedElfException if the file is not a well-formed ring0 executable
     */
    public static ElfImage read(byte[] file) throws MalformedElfException {
        return new ElfReader(file).parse();
    }

    private record Section(int index, long hdr, String name, long type, long flags, long addr,
                           long offset, long size, long link, long info, long align, long entsize) {
        long end() { return offset + size; }
    }

    private record Segment(long hdr, long type, long flags, long offset, long vaddr, long filesz, long memsz, long align) {}

    private ElfImage parse() throws MalformedElfException {
        f.require(0, EHDR_SIZE, "ELF header");
        if (f.u8(0) != 0x7f || f.u8(1) != 'E' || f.u8(2) != 'L' || f.u8(3) != 'F') {
            throw new MalformedElfException(0, "bad magic: not an ELF file");
        }
        expect(4, f.u8(4), 2, "not a 64-bit ELF file: EI_CLASS");
        expect(5, f.u8(5), 1, "not little-endian: EI_DATA");
        expect(6, f.u8(6), 1, "unsupported ELF version: EI_VERSION");
        expect(7, f.u8(7), 0, "unsupported OS ABI: EI_OSABI");
        expect(8, f.u8(8), 0, "unsupported ABI version: EI_ABIVERSION");
        if (!f.allZero(9, 7)) throw new MalformedElfException(9, "non-zero padding in e_ident");
        expect(16, f.u16(16), ET_EXEC, "not an executable: e_type");
        expect(18, f.u16(18), EM_X86_64, "not x86-64: e_machine");
        expect(20, f.u32(20), 1, "unsupported ELF version: e_version");
        long entry = f.u64(24);
        long phoff = f.u64(32), shoff = f.u64(40);
        expect(48, f.u32(48), 0, "unsupported e_flags");
        expect(52, f.u16(52), EHDR_SIZE, "bad e_ehsize");
        expect(54, f.u16(54), PHDR_SIZE, "bad e_phentsize");
        expect(58, f.u16(58), SHDR_SIZE, "bad e_shentsize");
        int phnum = f.u16(56), shnum = f.u16(60), shstrndx = f.u16(62);
        if (phnum == 0 || phnum > MAX_HEADERS) throw new MalformedElfException(56, "bad e_phnum " + phnum);
        if (shnum < 2 || shnum > MAX_HEADERS) throw new MalformedElfException(60, "bad e_shnum " + shnum);
        if (shstrndx == 0 || shstrndx >= shnum) throw new MalformedElfException(62, "bad e_shstrndx " + shstrndx);
        tableBounds(phoff, (long) phnum * PHDR_SIZE, 32, "program header table");
        tableBounds(shoff, (long) shnum * SHDR_SIZE, 40, "section header table");

        List<Segment> segments = segments(phoff, phnum);
        List<Section> sections = sections(shoff, shnum, shstrndx);
        checkOverlaps(sections, phoff, (long) phnum * PHDR_SIZE, shoff, (long) shnum * SHDR_SIZE);

        Map<String, Section> byName = new HashMap<>();
        for (Section s : sections.subList(1, sections.size())) {
            if (byName.put(s.name, s) != null) throw new MalformedElfException(s.hdr, "duplicate section " + s.name);
        }
        Section text = required(byName, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, shoff);
        Section slots = required(byName, ".ring0.imports", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, shoff);
        Section data = required(byName, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, shoff);
        Section meta = required(byName, ".ring0.meta", SHT_PROGBITS, 0, shoff);
        Section stub = optional(byName, ".ring0.stub", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR);
        Section types = optional(byName, ".ring0.types", SHT_PROGBITS, 0);
        for (Section s : sections) {
            if ((s.flags & SHF_ALLOC) != 0 && s != text && s != slots && s != data && s != stub) {
                throw new MalformedElfException(s.hdr, "unexpected loadable section " + s.name);
            }
        }

        ElfMeta m = ElfMeta.parse(f, meta.offset, meta.size);
        checkLayout(m, text, slots, data);
        checkLoads(segments, m, text, slots, data, stub);
        if (stub != null) checkEntry(segments, entry, stub.addr, "the first byte of .ring0.stub");
        else checkEntry(segments, entry, text.addr + m.entry(), "the entry label (there is no stub)");

        List<ElfImage.Symbol> symbols = symbols(sections, byName.get(".symtab"), text, data);
        return new ElfImage(text.addr, f.slice(text.offset, text.size, ".text"), (int) m.rwOffset(), m.imports(),
                (int) m.dataOffset(), f.slice(data.offset, data.size, ".data"), (int) m.entry(), symbols,
                types == null ? null : f.slice(types.offset, types.size, ".ring0.types"),
                text.offset, types == null ? -1 : types.offset);
    }

    private static void expect(long off, long actual, long wanted, String what) throws MalformedElfException {
        if (actual != wanted) throw new MalformedElfException(off, what + " is " + actual + ", expected " + wanted);
    }

    private void tableBounds(long off, long len, long field, String what) throws MalformedElfException {
        if (off < 0 || off % 8 != 0) throw new MalformedElfException(field, what + " offset 0x" + Long.toHexString(off) + " is not 8-byte aligned");
        if (off < EHDR_SIZE) throw new MalformedElfException(field, what + " overlaps the ELF header");
        f.require(off, len, what);
    }

    private List<Segment> segments(long phoff, int phnum) throws MalformedElfException {
        List<Segment> r = new ArrayList<>();
        long prevEnd = 0;
        boolean stack = false;
        for (int i = 0; i < phnum; i++) {
            long h = phoff + (long) i * PHDR_SIZE;
            Segment s = new Segment(h, f.u32(h), f.u32(h + 4), f.u64(h + 8), f.u64(h + 16),
                    f.u64(h + 32), f.u64(h + 40), f.u64(h + 48));
            if (f.u64(h + 24) != s.vaddr) throw new MalformedElfException(h + 24, "segment physical address differs from its virtual address");
            if ((s.flags & ~(long) (PF_R | PF_W | PF_X)) != 0) throw new MalformedElfException(h + 4, "unknown segment flags 0x" + Long.toHexString(s.flags));
            if ((s.flags & (PF_W | PF_X)) == (PF_W | PF_X)) throw new MalformedElfException(h + 4, "segment is both writable and executable");
            if (s.type == PT_LOAD) {
                if (s.align != PAGE) throw new MalformedElfException(h + 48, "PT_LOAD alignment must be 0x1000");
                if (s.filesz > s.memsz || s.memsz < 0) throw new MalformedElfException(h + 32, "PT_LOAD file size exceeds memory size");
                f.require(s.offset, s.filesz, "PT_LOAD contents");
                if (s.vaddr % PAGE != s.offset % PAGE) throw new MalformedElfException(h + 16, "PT_LOAD address and offset disagree modulo the page size");
                if (s.vaddr < PAGE || s.vaddr >= USER_TOP || s.memsz > USER_TOP - s.vaddr) {
                    throw new MalformedElfException(h + 16, "PT_LOAD outside user address space");
                }
                if (s.vaddr / PAGE * PAGE < prevEnd) throw new MalformedElfException(h + 16, "PT_LOAD segments overlap or are out of order");
                prevEnd = (s.vaddr + s.memsz + PAGE - 1) / PAGE * PAGE;
            } else if (s.type == PT_GNU_STACK) {
                if (stack) throw new MalformedElfException(h, "more than one PT_GNU_STACK");
                if ((s.flags & PF_X) != 0) throw new MalformedElfException(h + 4, "executable stack requested");
                if (s.offset != 0 || s.vaddr != 0 || s.filesz != 0 || s.memsz != 0) {
                    throw new MalformedElfException(h + 8, "PT_GNU_STACK with an address or size");
                }
                stack = true;
            } else if (s.type == PT_NOTE) {
                f.require(s.offset, s.filesz, "PT_NOTE contents");
            } else {
                throw new MalformedElfException(h, "unsupported program header type 0x" + Long.toHexString(s.type));
            }
            r.add(s);
        }
        return r;
    }

    private List<Section> sections(long shoff, int shnum, int shstrndx) throws MalformedElfException {
        if (!f.allZero(shoff, SHDR_SIZE)) throw new MalformedElfException(shoff, "section header 0 is not null");
        List<Section> raw = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            long h = shoff + (long) i * SHDR_SIZE;
            raw.add(new Section(i, h, null, f.u32(h + 4), f.u64(h + 8), f.u64(h + 16), f.u64(h + 24),
                    f.u64(h + 32), f.u32(h + 40), f.u32(h + 44), f.u64(h + 48), f.u64(h + 56)));
        }
        for (Section s : raw.subList(1, shnum)) checkSection(s);
        Section strs = raw.get(shstrndx);
        if (strs.type != SHT_STRTAB || strs.flags != 0) throw new MalformedElfException(strs.hdr, "e_shstrndx does not name a string table");
        List<Section> r = new ArrayList<>();
        r.add(raw.get(0));
        for (Section s : raw.subList(1, shnum)) {
            String name = string(strs, f.u32(s.hdr), s.hdr);
            r.add(new Section(s.index, s.hdr, name, s.type, s.flags, s.addr, s.offset, s.size, s.link, s.info, s.align, s.entsize));
        }
        return r;
    }

    private void checkSection(Section s) throws MalformedElfException {
        long h = s.hdr;
        if (s.type == SHT_NULL) throw new MalformedElfException(h + 4, "null section at index " + s.index);
        if (s.type == SHT_NOBITS) throw new MalformedElfException(h + 4, "SHT_NOBITS section at index " + s.index);
        if (s.type != SHT_SYMTAB && (s.link != 0 || s.info != 0 || s.entsize != 0)) {
            throw new MalformedElfException(h + 40, "section " + s.index + " has sh_link, sh_info or sh_entsize set");
        }
        if (s.offset < 0 || s.size < 0) throw new MalformedElfException(h + 24, "section " + s.index + " out of file bounds");
        f.require(s.offset, s.size, "section " + s.index);
        if (s.align < 0 || (s.align & (s.align - 1)) != 0 || s.align > PAGE) {
            throw new MalformedElfException(h + 48, "bad alignment 0x" + Long.toHexString(s.align) + " of section " + s.index);
        }
        long a = Math.max(s.align, 1);
        if (s.offset % a != 0) throw new MalformedElfException(h + 24, "section " + s.index + " file offset is not aligned");
        if ((s.flags & SHF_ALLOC) != 0) {
            if (s.addr % a != 0) throw new MalformedElfException(h + 16, "section " + s.index + " address is not aligned");
            if (s.addr < 0 || s.addr >= USER_TOP || s.size > USER_TOP - s.addr) {
                throw new MalformedElfException(h + 16, "section " + s.index + " outside user address space");
            }
        } else if (s.addr != 0) {
            throw new MalformedElfException(h + 16, "non-loaded section " + s.index + " has an address");
        }
    }

    /** A NUL-terminated printable-ASCII string at {@code index} in string table {@code strs}. */
    private String string(Section strs, long index, long where) throws MalformedElfException {
        if (index >= strs.size) throw new MalformedElfException(where, "string index " + index + " outside its string table");
        // checkSection has required the table to lie in the file; requiring it again keeps
        // the array reads below in bounds even if that ever changed.
        f.require(strs.offset, strs.size, "section " + strs.index);
        int first = (int) (strs.offset + index), end = (int) strs.end();
        for (int p = first; p < end; p++) {
            int c = file[p] & 0xff;
            if (c == 0) return new String(file, first, p - first, StandardCharsets.ISO_8859_1);
            if (p - first == MAX_NAME) throw new MalformedElfException(p, "name longer than " + MAX_NAME + " bytes");
            if (c < 0x20 || c > 0x7e) throw new MalformedElfException(p, "non-printable character in a name");
        }
        throw new MalformedElfException(strs.end() - 1, "unterminated string in string table");
    }

    private static void checkOverlaps(List<Section> sections, long phoff, long phlen, long shoff, long shlen)
            throws MalformedElfException {
        record Range(long start, long end, long hdr, String what) {}
        List<Range> ranges = new ArrayList<>();
        ranges.add(new Range(0, EHDR_SIZE, 0, "ELF header"));
        ranges.add(new Range(phoff, phoff + phlen, 32, "program header table"));
        ranges.add(new Range(shoff, shoff + shlen, 40, "section header table"));
        for (Section s : sections.subList(1, sections.size())) {
            if (s.size > 0) ranges.add(new Range(s.offset, s.end(), s.hdr, "section " + s.name));
        }
        ranges.sort(Comparator.comparingLong(Range::start));
        for (int i = 1; i < ranges.size(); i++) {
            Range a = ranges.get(i - 1), b = ranges.get(i);
            if (b.start < a.end) throw new MalformedElfException(b.hdr, b.what + " overlaps " + a.what);
        }
    }

    private static Section required(Map<String, Section> byName, String name, long type, long flags, long shoff)
            throws MalformedElfException {
        Section s = optional(byName, name, type, flags);
        if (s == null) throw new MalformedElfException(shoff, "missing section " + name);
        return s;
    }

    private static Section optional(Map<String, Section> byName, String name, long type, long flags)
            throws MalformedElfException {
        Section s = byName.get(name);
        if (s == null) return null;
        if (s.type != type) throw new MalformedElfException(s.hdr + 4, "section " + name + " has type " + s.type + ", expected " + type);
        if (s.flags != flags) throw new MalformedElfException(s.hdr + 8, "section " + name + " has flags 0x" + Long.toHexString(s.flags) + ", expected 0x" + Long.toHexString(flags));
        return s;
    }

    private void checkLayout(ElfMeta m, Section text, Section slots, Section data) throws MalformedElfException {
        if (text.addr % PAGE != 0) throw new MalformedElfException(text.hdr + 16, ".text is not page-aligned");
        if (text.size == 0) throw new MalformedElfException(text.hdr + 32, ".text is empty");
        if (m.entry() >= text.size) throw new MalformedElfException(m.fileOffset() + 12, "entry offset outside .text");
        if (m.rwOffset() % PAGE != 0 || m.rwOffset() < text.size) {
            throw new MalformedElfException(m.fileOffset() + 16, "rwOffset 0x" + Long.toHexString(m.rwOffset()) + " is not a page boundary after .text");
        }
        long rwBytes = ElfImage.CONTROL_WORDS_SIZE + 8L * m.imports().size();
        if (slots.addr != text.addr + m.rwOffset()) throw new MalformedElfException(slots.hdr + 16, ".ring0.imports is not at text + rwOffset");
        if (slots.size != rwBytes) {
            throw new MalformedElfException(slots.hdr + 32, ".ring0.imports holds " + slots.size + " bytes, but the control words and "
                    + m.imports().size() + " import slots take " + rwBytes);
        }
        if (!f.allZero(slots.offset, slots.size)) throw new MalformedElfException(slots.offset, "the control words and import slots are not zero");
        long gap = slots.offset + slots.size;
        long dataOffset = ElfImage.dataOffsetFor(m.rwOffset(), m.imports().size());
        if (m.dataOffset() != dataOffset) throw new MalformedElfException(m.fileOffset() + 20, "dataOffset is not the 16-aligned end of the import slots");
        if (data.addr != text.addr + dataOffset) throw new MalformedElfException(data.hdr + 16, ".data is not at text + dataOffset");
        if (dataOffset + data.size > Integer.MAX_VALUE) throw new MalformedElfException(data.hdr + 32, "image larger than 2 GiB");
        if (data.offset - slots.offset != dataOffset - m.rwOffset()) throw new MalformedElfException(data.hdr + 24, ".data is not at its image offset in the file");
        if (!f.allZero(gap, data.offset - gap)) throw new MalformedElfException(gap, "padding between the import slots and .data is not zero");
    }

    /**
     * Requires each loaded section to have its own PT_LOAD that maps exactly
     * it (.ring0.imports and .data together, as the RW region of the image), and
     * every other PT_LOAD to be the read-only headers page.
     */
    private static void checkLoads(List<Segment> segments, ElfMeta m, Section text, Section slots, Section data, Section stub)
            throws MalformedElfException {
        List<Segment> known = new ArrayList<>();
        known.add(checkSegment(segments, text.addr, text.size, text.offset, PF_R | PF_X, text.hdr, ".text"));
        long rwStart = text.addr + m.rwOffset();
        long rwSize = m.dataOffset() + data.size - m.rwOffset();
        known.add(checkSegment(segments, rwStart, rwSize, slots.offset, PF_R | PF_W, slots.hdr, "the read-write region"));
        if (stub != null) known.add(checkSegment(segments, stub.addr, stub.size, stub.offset, PF_R | PF_X, stub.hdr, ".ring0.stub"));
        for (Segment s : segments) {
            boolean headers = s.offset == 0 && s.flags == PF_R && s.filesz <= PAGE;
            if (s.type == PT_LOAD && !known.contains(s) && !headers) {
                throw new MalformedElfException(s.hdr, "PT_LOAD loads neither the headers nor a section of the program");
            }
        }
    }

    /** The PT_LOAD with exactly {@code flags} that maps exactly {@code [vaddr, vaddr+size)} from {@code offset}. */
    private static Segment checkSegment(List<Segment> segments, long vaddr, long size, long offset, int flags, long hdr, String what)
            throws MalformedElfException {
        for (Segment s : segments) {
            if (s.type != PT_LOAD || s.vaddr != vaddr) continue;
            if (s.flags != flags || s.offset != offset || s.filesz != size || s.memsz != size) {
                throw new MalformedElfException(s.hdr, "the segment loading " + what + " does not match it exactly (flags, offset, size)");
            }
            return s;
        }
        throw new MalformedElfException(hdr, what + " is not loaded by its own PT_LOAD segment");
    }

    /**
     * Linux starts the process at {@code e_entry}: it must be the first byte of
     * the stub, which sets up what the typed code relies on (or, in a file
     * without a stub, the entry label itself), never anywhere else in the stub
     * or the typed code.
     */
    private static void checkEntry(List<Segment> segments, long entry, long expected, String what) throws MalformedElfException {
        boolean executable = false;
        for (Segment s : segments) {
            if (s.type == PT_LOAD && (s.flags & PF_X) != 0 && entry >= s.vaddr && entry - s.vaddr < s.filesz) executable = true;
        }
        if (!executable) throw new MalformedElfException(24, "e_entry is not in an executable segment");
        if (entry != expected) {
            throw new MalformedElfException(24, "e_entry 0x" + Long.toHexString(entry) + " is not " + what
                    + " (0x" + Long.toHexString(expected) + ")");
        }
    }

    private List<ElfImage.Symbol> symbols(List<Section> sections, Section symtab, Section text, Section data)
            throws MalformedElfException {
        List<ElfImage.Symbol> r = new ArrayList<>();
        if (symtab == null) return r;
        if (symtab.type != SHT_SYMTAB || symtab.flags != 0) throw new MalformedElfException(symtab.hdr + 4, ".symtab is not a symbol table");
        if (symtab.entsize != SYM_SIZE || symtab.size % SYM_SIZE != 0 || symtab.size == 0) {
            throw new MalformedElfException(symtab.hdr + 56, ".symtab entry size or total size is wrong");
        }
        if (symtab.link <= 0 || symtab.link >= sections.size() || sections.get((int) symtab.link).type != SHT_STRTAB) {
            throw new MalformedElfException(symtab.hdr + 40, ".symtab sh_link does not name a string table");
        }
        Section strs = sections.get((int) symtab.link);
        long count = symtab.size / SYM_SIZE;
        if (symtab.info > count || symtab.info == 0) throw new MalformedElfException(symtab.hdr + 44, ".symtab sh_info is out of range");
        if (!f.allZero(symtab.offset, SYM_SIZE)) throw new MalformedElfException(symtab.offset, "symbol 0 is not null");
        for (long i = 1; i < count; i++) {
            long e = symtab.offset + i * SYM_SIZE;
            String name = string(strs, f.u32(e), e);
            int info = f.u8(e + 4), type = info & 0xf, bind = info >> 4;
            int shndx = f.u16(e + 6);
            long value = f.u64(e + 8), size = f.u64(e + 16);
            if ((bind == 0) != (i < symtab.info)) throw new MalformedElfException(e + 4, "local and global symbols are not separated by sh_info");
            if (bind > 2) throw new MalformedElfException(e + 4, "unknown symbol binding " + bind);
            if (type > 4) throw new MalformedElfException(e + 4, "unknown symbol type " + type);
            Section s = shndx == text.index ? text : shndx == data.index ? data : null;
            if (s == null || type > 2) continue;
            if (value < s.addr || value - s.addr > s.size || size < 0 || size > s.addr + s.size - value) {
                throw new MalformedElfException(e + 8, "symbol " + name + " lies outside its section");
            }
            r.add(new ElfImage.Symbol(name, (int) (value - text.addr), (int) size, s == text));
        }
        return r;
    }
}
