package ring0.conformance.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ring0.abi.Service;

/**
 * Edits of the file outside the code: the data (especially array length
 * words), {@code .ring0.meta} (entry offset, import names), the raw bytes of
 * {@code .ring0.types} (counts, lengths, offsets, kinds), the section headers,
 * and the program headers of the image (never the stub's: the stub is not
 * checked, so what it does when moved is not the checker's business).
 */
final class FileEdits {
    private FileEdits() {}

    static void data(Draft d) {
        ElfMap.Range data = d.map().section(".data");
        List<TypesModel.Data> arrays = d.seed.types().data.stream().filter(x -> x.kind() != 3).toList();
        if (arrays.isEmpty() || d.chance(40)) {
            ByteEdits.any(d, data, "data");
            return;
        }
        TypesModel.Data x = d.pick(arrays);
        int at = data.start() + x.offset() - d.seed.program().dataOffset();
        if (at < data.start() || at + 8 > data.end()) {
            ByteEdits.any(d, data, "data");  // the array is gone: an earlier edit cut .data short
            return;
        }
        long old = ByteEdits.get(d.elf(), at, 8);
        long v = d.pick(new long[] {old + 1, old - 1, 0, old * 2, 1L << 32, -1, 1L << 62});
        ByteEdits.put(d.elf(), at, v, 8);
        d.step("length word of " + x.name() + " " + old + " -> " + v);
    }

    static void meta(Draft d) {
        ElfMap.Range meta = d.map().section(".ring0.meta");
        byte[] b = d.elf();
        switch (d.below(4)) {
            case 0 -> {
                int to = d.chance(70) ? d.pick(d.seed.labelOffsets()) : d.pick(d.seed.insns()).offset();
                ByteEdits.put(b, meta.start() + 12, to, 4);
                d.step("meta entry := " + ByteEdits.hex(to));
            }
            case 1 -> renameImport(d, meta);
            default -> ByteEdits.any(d, meta, "meta");
        }
    }

    /** An import name replaced by another service's name of the same length, or two names exchanged. */
    private static void renameImport(Draft d, ElfMap.Range meta) {
        byte[] b = d.elf();
        int n = ElfMap.u16(b, meta.start() + 24);
        List<int[]> names = new ArrayList<>();
        int at = meta.start() + 26;
        // An earlier edit may have broken the count or a length: read only what lies inside the section.
        for (int i = 0; i < n && at < meta.end(); i++) {
            int len = b[at] & 0xff;
            if (at + 1 + len > meta.end()) break;
            names.add(new int[] {at + 1, len});
            at += 1 + len;
        }
        if (names.isEmpty()) return;
        int[] a = d.pick(names);
        String old = new String(b, a[0], a[1], StandardCharsets.US_ASCII);
        List<String> same = new ArrayList<>();
        for (Service s : Service.values()) if (s.importName().length() == a[1] && !s.importName().equals(old)) same.add(s.importName());
        int[] o = d.pick(names);
        if (o != a && o[1] == a[1] && d.chance(50)) {
            byte[] tmp = Arrays.copyOfRange(b, a[0], a[0] + a[1]);
            System.arraycopy(b, o[0], b, a[0], a[1]);
            System.arraycopy(tmp, 0, b, o[0], a[1]);
            d.step("imports " + old + " and " + new String(tmp, StandardCharsets.US_ASCII) + " exchanged in meta");
        } else if (!same.isEmpty()) {
            String to = d.pick(same);
            System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, b, a[0], a[1]);
            d.step("import " + old + " renamed " + to + " in meta");
        }
    }

    static void typesBytes(Draft d) {
        ByteEdits.any(d, d.map().section(".ring0.types"), "types");
    }

    /** Offsets and widths of the section header fields: name, type, flags, addr, offset, size, link, info, align, entsize. */
    private static final int[][] SHDR_FIELDS = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {48, 8}, {56, 8}};
    private static final String[] SHDR_NAMES = {"name", "type", "flags", "addr", "offset", "size", "link", "info", "align", "entsize"};

    static void sectionHeader(Draft d) {
        List<String> names = new ArrayList<>(d.map().sectionHeaders().keySet());
        String sec = d.pick(names);
        int f = d.chance(70) ? 3 + d.below(3) : d.below(SHDR_FIELDS.length);
        int at = d.map().sectionHeaders().get(sec).start() + SHDR_FIELDS[f][0];
        int width = SHDR_FIELDS[f][1];
        String other = d.pick(names);
        long v = field(d, at, width, d.map().sectionHeaders().get(other).start() + SHDR_FIELDS[f][0]);
        d.step("section header " + sec + "." + SHDR_NAMES[f] + " := " + ByteEdits.hex(v));
    }

    /** Program header fields: type, flags, offset, vaddr(+paddr), filesz, memsz, align. */
    private static final int[][] PHDR_FIELDS = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}, {48, 8}};
    private static final String[] PHDR_NAMES = {"type", "flags", "offset", "vaddr", "filesz", "memsz", "align"};

    static void programHeader(Draft d) {
        int stub = d.map().section(".ring0.stub").start();
        List<Integer> candidates = new ArrayList<>();
        ElfMap.Range[] ph = d.map().programHeaders();
        for (int i = 0; i < ph.length; i++) if (ElfMap.u64(d.elf(), ph[i].start() + 8) != stub) candidates.add(i);
        int i = d.pick(candidates);
        int f = d.chance(70) ? 2 + d.below(4) : d.below(PHDR_FIELDS.length);
        int h = ph[i].start();
        int at = h + PHDR_FIELDS[f][0];
        long v = field(d, at, PHDR_FIELDS[f][1], ph[d.pick(candidates)].start() + PHDR_FIELDS[f][0]);
        if (f == 3) ByteEdits.put(d.elf(), h + 24, v, 8);  // paddr follows vaddr: the reader insists they agree
        if (f == 4 && d.chance(50)) ByteEdits.put(d.elf(), h + 40, v, 8);  // filesz and memsz together
        d.step("program header " + i + "." + PHDR_NAMES[f] + " := " + ByteEdits.hex(v));
    }

    /**
     * The ELF header: mostly {@code e_entry}, which Linux jumps to (the stub's
     * first byte in a good file), moved to a label, the stop block, another
     * place in the stub or nearby; otherwise a bit of another field.
     */
    static void elfHeader(Draft d) {
        byte[] b = d.elf();
        if (d.chance(60)) {
            long text = 0x401000, old = ByteEdits.get(b, 24, 8);
            long to = switch (d.below(5)) {
                case 0 -> text + d.pick(d.seed.labelOffsets());
                case 1 -> text + d.pick(d.seed.insns()).offset();
                case 2 -> text;
                case 3 -> old + 1 + d.below(64);
                default -> old + (d.below(33) - 16);
            };
            ByteEdits.put(b, 24, to, 8);
            d.step("e_entry " + ByteEdits.hex(old) + " -> " + ByteEdits.hex(to));
        } else {
            ByteEdits.any(d, new ElfMap.Range(16, ElfMap.EHDR - 16), "ELF header");
        }
    }

    /** A new value for a header field: nearby, a page away, another header's, or a flipped bit. */
    private static long field(Draft d, int at, int width, int otherAt) {
        byte[] b = d.elf();
        long old = ByteEdits.get(b, at, width);
        long v = switch (d.below(5)) {
            case 0 -> old + (d.below(33) - 16);
            case 1 -> old + (d.chance(50) ? 0x1000 : -0x1000);
            case 2 -> ByteEdits.get(b, otherAt, width);
            case 3 -> old ^ 1L << d.below(8 * width);
            default -> old + 8L * (d.below(5) - 2);
        };
        ByteEdits.put(b, at, v, width);
        return ByteEdits.get(b, at, width);
    }
}
