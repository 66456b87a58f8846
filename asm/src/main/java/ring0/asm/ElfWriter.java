package ring0.asm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import ring0.abi.Service;
import ring0.elf.ElfImage;

/**
 * Writes a {@link Program} as a static ELF64 x86-64 executable that runs on
 * stock Linux and that {@code ring0.elf.ElfReader} accepts.
 *
 * <p>Layout (see {@code docs/abi.md}): the ELF and program headers at
 * 0x400000; the program image at {@link #IMAGE_ADDRESS} (file offset 0x1000)
 * with exactly the Program's relative layout: {@code .text} at 0,
 * {@code .ring0.imports} (the limit word, the reserved word and the import
 * slots) at {@code rwOffset}, {@code .data} at
 * {@code dataOffset}; then the Linux entry stub ({@code .ring0.stub}, see
 * {@link LinuxStub}) on the next free page; then the non-loaded sections
 * {@code .ring0.meta}, the optional {@code .ring0.types}, {@code .symtab},
 * {@code .strtab} and {@code .shstrtab}, and the section header table.
 * Each of headers, text, slots+data and stub is its own PT_LOAD segment with
 * just the permissions it needs; PT_GNU_STACK asks for a non-executable stack.
 */
public final class ElfWriter {
    private ElfWriter() {}

    /** Virtual address of the program image ({@code .text}) in the executable. */
    public static final long IMAGE_ADDRESS = 0x401000;
    /** Virtual address of file offset 0. */
    private static final long FILE_ADDRESS = 0x400000;
    private static final int PAGE = 4096;
    /** Longest symbol name the reader accepts. */
    private static final int MAX_NAME = 4096;
    private static final int EHDR = 64, PHDR = 56, SHDR = 64, SYM = 24, PHNUM = 5;

    private static final int PT_LOAD = 1, PT_GNU_STACK = 0x6474e551;
    private static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3;
    private static final int SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4;
    private static final int STB_LOCAL = 0, STB_GLOBAL = 1;
    private static final int STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4;
    private static final int SHN_ABS = 0xfff1;
    /** Section indices of the loaded sections, fixed by this layout. */
    private static final int SEC_TEXT = 1, SEC_SLOTS = 2, SEC_DATA = 3, SEC_STUB = 4;

    /** Magic at the start of {@code .ring0.meta}. */
    static final byte[] META_MAGIC = {'R', 'I', 'N', 'G', '0', 0, 0, 0};
    /** Version of the {@code .ring0.meta} layout. */
    static final int META_VERSION = 2;
    /** Symbol names of the two control words at the start of the read-write region. */
    static final String LIMIT_SYMBOL = "__limit", RESERVED_SYMBOL = "__reserved";

    /** The executable for {@code p}, with its {@code .ring0.types} section if it is typed. */
    public static byte[] write(Program p) {
        return write(p, p.types());
    }

    /**
     * The executable for {@code p}.
     *
     * @param typesSection contents of the non-loaded {@code .ring0.types} section, or null for none
     * @throws IllegalArgumentException if {@code p} breaks the {@link Program} layout contract
     */
    public static byte[] write(Program p, byte[] typesSection) {
        check(p);
        long rwEnd = (long) p.dataOffset() + p.data().length;
        long rwHeader = ElfImage.CONTROL_WORDS_SIZE + 8L * p.imports().size();
        long stubOffset = Math.max(alignUp(rwEnd, PAGE), (long) p.rwOffset() + PAGE);
        long stubAddr = IMAGE_ADDRESS + stubOffset;
        LinuxStub.Code stub = LinuxStub.build(p, IMAGE_ADDRESS, stubAddr);

        long textOff = IMAGE_ADDRESS - FILE_ADDRESS;
        long slotsOff = textOff + p.rwOffset(), dataOff = textOff + p.dataOffset(), stubOff = textOff + stubOffset;
        byte[] meta = meta(p);
        ElfOut.Strings strtab = new ElfOut.Strings();
        ElfSymbols syms = symbols(p, stub, stubAddr, strtab);
        byte[] strBytes = strtab.bytes();

        List<ElfSection> sections = new ArrayList<>();
        sections.add(ElfSection.alloc(".text", SHF_ALLOC | SHF_EXECINSTR, IMAGE_ADDRESS, textOff, p.text().length, 16));
        sections.add(ElfSection.alloc(".ring0.imports", SHF_ALLOC | SHF_WRITE, IMAGE_ADDRESS + p.rwOffset(), slotsOff, rwHeader, 8));
        sections.add(ElfSection.alloc(".data", SHF_ALLOC | SHF_WRITE, IMAGE_ADDRESS + p.dataOffset(), dataOff, p.data().length, 16));
        sections.add(ElfSection.alloc(".ring0.stub", SHF_ALLOC | SHF_EXECINSTR, stubAddr, stubOff, stub.code().length, 16));
        long off = alignUp(stubOff + stub.code().length, 8);
        ElfSection metaSec = ElfSection.plain(".ring0.meta", SHT_PROGBITS, off, meta.length, 1);
        sections.add(metaSec);
        off += meta.length;
        ElfSection typesSec = null;
        if (typesSection != null) {
            typesSec = ElfSection.plain(".ring0.types", SHT_PROGBITS, off, typesSection.length, 1);
            sections.add(typesSec);
            off += typesSection.length;
        }
        off = alignUp(off, 8);
        int strtabIndex = sections.size() + 2;  // 1-based: symtab is next, strtab after it
        ElfSection symtab = ElfSection.plain(".symtab", SHT_SYMTAB, off, syms.bytes().length, 8)
                .linked(strtabIndex, syms.firstGlobal(), SYM);
        sections.add(symtab);
        off += syms.bytes().length;
        ElfSection strSec = ElfSection.plain(".strtab", SHT_STRTAB, off, strBytes.length, 1);
        sections.add(strSec);
        off += strBytes.length;
        ElfOut.Strings shstr = new ElfOut.Strings();
        int[] names = new int[sections.size() + 1];
        for (int i = 0; i < sections.size(); i++) names[i] = shstr.add(sections.get(i).name());
        names[sections.size()] = shstr.add(".shstrtab");
        byte[] shstrBytes = shstr.bytes();
        ElfSection shstrSec = ElfSection.plain(".shstrtab", SHT_STRTAB, off, shstrBytes.length, 1);
        sections.add(shstrSec);
        off += shstrBytes.length;
        long shoff = alignUp(off, 8);
        int shnum = sections.size() + 1;

        ElfOut o = new ElfOut();
        header(o, stubAddr, shoff, shnum, shnum - 1);
        long rwSize = rwEnd - p.rwOffset();
        segment(o, PT_LOAD, PF_R, 0, FILE_ADDRESS, EHDR + PHNUM * PHDR, PAGE);
        segment(o, PT_LOAD, PF_R | PF_X, textOff, IMAGE_ADDRESS, p.text().length, PAGE);
        segment(o, PT_LOAD, PF_R | PF_W, slotsOff, IMAGE_ADDRESS + p.rwOffset(), rwSize, PAGE);
        segment(o, PT_LOAD, PF_R | PF_X, stubOff, stubAddr, stub.code().length, PAGE);
        segment(o, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 16);

        o.padTo(textOff).bytes(p.text());
        o.padTo(slotsOff).padTo(slotsOff + rwHeader);
        o.padTo(dataOff).bytes(p.data());
        o.padTo(stubOff).bytes(stub.code());
        o.padTo(metaSec.offset()).bytes(meta);
        if (typesSec != null) o.padTo(typesSec.offset()).bytes(typesSection);
        o.padTo(symtab.offset()).bytes(syms.bytes());
        o.padTo(strSec.offset()).bytes(strBytes);
        o.padTo(shstrSec.offset()).bytes(shstrBytes);
        o.padTo(shoff);
        o.padTo(shoff + SHDR);  // the null section header
        for (int i = 0; i < sections.size(); i++) sections.get(i).writeHeader(o, names[i]);
        return o.toByteArray();
    }

    private static void check(Program p) {
        if (p.text().length == 0) throw new IllegalArgumentException("empty .text");
        if (p.entryOffset() < 0 || p.entryOffset() >= p.text().length) throw new IllegalArgumentException("entry offset outside .text");
        if (p.rwOffset() % PAGE != 0 || p.rwOffset() < p.text().length) throw new IllegalArgumentException("rwOffset must be a page boundary after .text");
        if (p.imports().size() > 0xffff) throw new IllegalArgumentException("too many imports");
        if (new HashSet<>(p.imports()).size() != p.imports().size()) throw new IllegalArgumentException("duplicate import");
        if (p.dataOffset() != ElfImage.dataOffsetFor(p.rwOffset(), p.imports().size())) throw new IllegalArgumentException("dataOffset is not the 16-aligned end of the slots");
        for (Program.Symbol s : p.symbols()) {
            long start = s.section() == Program.Section.TEXT ? 0 : p.dataOffset();
            long end = s.section() == Program.Section.TEXT ? p.text().length : p.dataOffset() + (long) p.data().length;
            if (s.imageOffset() < start || s.size() < 0 || (long) s.imageOffset() + s.size() > end) {
                throw new IllegalArgumentException("symbol " + s.name() + " lies outside its section");
            }
            if (!printable(s.name()) || s.name().isEmpty() || s.name().length() > MAX_NAME) {
                throw new IllegalArgumentException("symbol name is empty, too long or not printable ASCII: " + s.name());
            }
        }
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) return false;
        return true;
    }

    private static long alignUp(long v, long a) { return (v + a - 1) / a * a; }

    /** The {@code .ring0.meta} section; its layout is documented in docs/abi.md. */
    static byte[] meta(Program p) {
        ElfOut m = new ElfOut().bytes(META_MAGIC).u16(META_VERSION).u16(0)
                .u32(p.entryOffset()).u32(p.rwOffset()).u32(p.dataOffset()).u16(p.imports().size());
        for (Service s : p.imports()) m.u8(s.importName().length()).ascii(s.importName());
        return m.toByteArray();
    }

    /** The symbol table bytes and the index of its first global symbol. */
    private record ElfSymbols(byte[] bytes, int firstGlobal) {}

    private static ElfSymbols symbols(Program p, LinuxStub.Code stub, long stubAddr, ElfOut.Strings strtab) {
        ElfOut o = new ElfOut();
        o.padTo(SYM); // symbol 0
        int n = 1;
        sym(o, strtab.add(fileName(p.sourceName())), STB_LOCAL, STT_FILE, SHN_ABS, 0, 0);
        n++;
        long[] sectionAddr = {IMAGE_ADDRESS, IMAGE_ADDRESS + p.rwOffset(), IMAGE_ADDRESS + p.dataOffset(), stubAddr};
        for (int i = 0; i < sectionAddr.length; i++, n++) sym(o, 0, STB_LOCAL, STT_SECTION, SEC_TEXT + i, sectionAddr[i], 0);
        for (Program.Symbol s : p.symbols()) {
            boolean code = s.section() == Program.Section.TEXT;
            sym(o, strtab.add(s.name()), STB_LOCAL, code ? STT_FUNC : STT_OBJECT, code ? SEC_TEXT : SEC_DATA,
                    IMAGE_ADDRESS + s.imageOffset(), s.size());
            n++;
        }
        sym(o, strtab.add(LIMIT_SYMBOL), STB_LOCAL, STT_OBJECT, SEC_SLOTS, IMAGE_ADDRESS + p.limitOffset(), 8);
        sym(o, strtab.add(RESERVED_SYMBOL), STB_LOCAL, STT_OBJECT, SEC_SLOTS, IMAGE_ADDRESS + p.reservedOffset(), 8);
        n += 2;
        for (int i = 0; i < p.imports().size(); i++, n++) {
            sym(o, strtab.add(p.imports().get(i).importName() + "@slot"), STB_LOCAL, STT_OBJECT, SEC_SLOTS,
                    IMAGE_ADDRESS + p.slotOffset(i), 8);
        }
        LinuxStub.Symbol start = null;
        for (LinuxStub.Symbol s : stub.symbols()) {
            if (s.name().equals(LinuxStub.ENTRY_SYMBOL)) { start = s; continue; }
            sym(o, strtab.add(s.name()), STB_LOCAL, STT_FUNC, SEC_STUB, stubAddr + s.offset(), s.size());
            n++;
        }
        if (start == null) throw new IllegalStateException("stub without " + LinuxStub.ENTRY_SYMBOL);
        sym(o, strtab.add(start.name()), STB_GLOBAL, STT_FUNC, SEC_STUB, stubAddr + start.offset(), start.size());
        return new ElfSymbols(o.toByteArray(), n);
    }

    private static void sym(ElfOut o, int name, int bind, int type, int shndx, long value, long size) {
        o.u32(name).u8(bind << 4 | type).u8(0).u16(shndx).u64(value).u64(size);
    }

    /** The last path element of {@code source}, with anything but printable ASCII replaced by '?'. */
    private static String fileName(String source) {
        String s = source == null ? "" : source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder r = new StringBuilder();
        for (byte c : b) r.append(c >= 0x20 && c <= 0x7e ? (char) c : '?');
        return r.length() > MAX_NAME ? r.substring(0, MAX_NAME) : r.toString();
    }

    private static void header(ElfOut o, long entry, long shoff, int shnum, int shstrndx) {
        o.u8(0x7f).ascii("ELF").u8(2).u8(1).u8(1).u8(0).padTo(16);  // ELFCLASS64, LSB, EV_CURRENT, SYSV ABI
        o.u16(2).u16(62).u32(1);                                      // ET_EXEC, EM_X86_64, EV_CURRENT
        o.u64(entry).u64(EHDR).u64(shoff).u32(0);
        o.u16(EHDR).u16(PHDR).u16(PHNUM).u16(SHDR).u16(shnum).u16(shstrndx);
    }

    private static void segment(ElfOut o, int type, int flags, long offset, long vaddr, long size, long align) {
        o.u32(type).u32(flags).u64(offset).u64(vaddr).u64(vaddr).u64(size).u64(size).u64(align);
    }
}
