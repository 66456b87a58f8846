package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import ring0.elf.ElfImage;
import ring0.elf.ElfReader;
import ring0.elf.MalformedElfException;

/**
 * The strict reader on hostile versions of files {@link ElfWriter} wrote:
 * targeted corruptions, each rejected with its own message, and mutation and
 * truncation fuzzing, which must never produce anything but a
 * {@link MalformedElfException} or a consistent image.
 */
class ElfReaderTest {
    private static final int FUZZ = Math.max(20_000, Integer.getInteger("ring0.fuzz.count", 100_000));

    private static ElfTestFile hello() { return new ElfTestFile(ElfWriter.write(ElfTestPrograms.hello())); }

    /** Applies {@code patch} to a fresh hello file and expects rejection with a message starting {@code prefix}. */
    private static void rejects(Consumer<ElfTestFile> patch, String prefix) {
        ElfTestFile f = hello();
        patch.accept(f);
        assertThatThrownBy(() -> ElfReader.read(f.bytes)).isInstanceOf(MalformedElfException.class)
                .hasMessageStartingWith(prefix);
    }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    @Test
    void acceptsTheUnmodifiedFile() throws Exception {
        assertThat(ElfReader.read(hello().bytes).imports()).hasSize(1);
    }

    @Test
    void rejectsIdentification() {
        rejects(f -> f.bytes[0] = 0x7e, "offset 0x0: bad magic: not an ELF file");
        rejects(f -> f.bytes[4] = 1, "offset 0x4: not a 64-bit ELF file: EI_CLASS is 1, expected 2");
        rejects(f -> f.bytes[5] = 2, "offset 0x5: not little-endian: EI_DATA is 2, expected 1");
        rejects(f -> f.put16(0x12, 40), "offset 0x12: not x86-64: e_machine is 40, expected 62");
        rejects(f -> f.put16(0x10, 3), "offset 0x10: not an executable: e_type is 3, expected 2");
        rejects(f -> f.put32(0x30, 1), "offset 0x30: unsupported e_flags is 1, expected 0");
    }

    @Test
    void rejectsTruncatedHeaders() {
        byte[] full = hello().bytes;
        assertThatThrownBy(() -> ElfReader.read(Arrays.copyOf(full, 63)))
                .hasMessageStartingWith("offset 0x0: ELF header (0x40 bytes) lies outside the file");
        assertThatThrownBy(() -> ElfReader.read(Arrays.copyOf(full, 0x100)))
                .hasMessageStartingWith("offset 0x40: program header table (0x118 bytes) lies outside the file");
        assertThatThrownBy(() -> ElfReader.read(Arrays.copyOf(full, full.length - 1)))
                .hasMessageStartingWith("offset " + hex(new ElfTestFile(full).shoff()) + ": section header table");
    }

    @Test
    void rejectsSectionsOutsideTheFile() {
        rejects(f -> f.put64(f.sectionHeader(".data") + 0x18, 0x100000),
                "offset 0x100000: section 3 (0x15 bytes) lies outside the file");
        rejects(f -> f.put64(f.sectionHeader(".text") + 0x20, -1L), "offset " + hex(hello().sectionHeader(".text") + 0x18) + ": section 1 out of file bounds");
        rejects(f -> f.put64(f.sectionHeader(".text") + 0x20, 0x10000), "offset 0x1000: section 1 (0x10000 bytes) lies outside the file");
        rejects(f -> f.put64(f.sectionHeader(".symtab") + 0x18, Long.MIN_VALUE), "offset " + hex(hello().sectionHeader(".symtab") + 0x18) + ": section 6 out of file bounds");
    }

    @Test
    void rejectsBadSectionHeaders() {
        rejects(f -> f.put16(0x3e, 0), "offset 0x3e: bad e_shstrndx 0");
        rejects(f -> f.put32(f.sectionHeader(".data"), 100000), "offset " + hex(hello().sectionHeader(".data")) + ": string index 100000 outside its string table");
        rejects(f -> f.put64(f.sectionHeader(".data") + 0x30, 3), "offset " + hex(hello().sectionHeader(".data") + 0x30) + ": bad alignment 0x3 of section 3");
        rejects(f -> f.put64(f.sectionHeader(".data") + 0x18, f.sectionOffset(".text")), "offset " + hex(hello().sectionHeader(".data")) + ": section .data overlaps section .text");
        rejects(f -> f.put32(f.sectionHeader(".data") + 4, 8), "offset " + hex(hello().sectionHeader(".data") + 4) + ": SHT_NOBITS section at index 3");
        rejects(f -> f.put64(f.sectionHeader(".ring0.meta") + 0x10, 0x1000), "offset " + hex(hello().sectionHeader(".ring0.meta") + 0x10) + ": non-loaded section 5 has an address");
        rejects(f -> f.put64(f.sectionHeader(".data") + 0x10, 0x402011), "offset " + hex(hello().sectionHeader(".data") + 0x10) + ": section 3 address is not aligned");
        // rename .data to .text: duplicate
        rejects(f -> f.put32(f.sectionHeader(".data"), f.u32(f.sectionHeader(".text"))), "offset " + hex(hello().sectionHeader(".data")) + ": duplicate section .text");
    }

    @Test
    void rejectsMissingOrMistypedSections() {
        // rename .ring0.meta by changing one character of its name
        rejects(f -> f.bytes[f.sectionOffset(".shstrtab") + f.u32(f.sectionHeader(".ring0.meta")) + 7] = 'x',
                "offset " + hex(hello().shoff()) + ": missing section .ring0.meta");
        rejects(f -> f.put64(f.sectionHeader(".text") + 8, 7), "offset " + hex(hello().sectionHeader(".text") + 8) + ": section .text has flags 0x7, expected 0x6");
        rejects(f -> f.put32(f.sectionHeader(".ring0.meta") + 4, 2), "offset " + hex(hello().sectionHeader(".ring0.meta") + 4) + ": section .ring0.meta has type 2, expected 1");
    }

    @Test
    void rejectsMetaInconsistentWithSlots() {
        int metaCount = hello().sectionOffset(".ring0.meta") + 24;
        rejects(f -> f.put64(f.sectionHeader(".ring0.imports") + 0x20, 16),
                "offset " + hex(hello().sectionHeader(".ring0.imports") + 0x20) + ": .ring0.imports holds 16 bytes, but the control words and 1 import slots take 24");
        rejects(f -> f.put64(f.sectionHeader(".ring0.imports") + 0x20, 8),
                "offset " + hex(hello().sectionHeader(".ring0.imports") + 0x20) + ": .ring0.imports holds 8 bytes, but the control words and 1 import slots take 24");
        rejects(f -> f.put16(metaCount, 2), "offset " + hex(metaCount + 8) + ": .ring0.meta is truncated in import 1");
        rejects(f -> f.put32(metaCount - 8, 0x2000), "offset " + hex(hello().sectionHeader(".ring0.imports") + 0x10) + ": .ring0.imports is not at text + rwOffset");
        rejects(f -> f.put32(metaCount - 8, 0x2000 + 1), "offset " + hex(metaCount - 8) + ": rwOffset 0x2001 is not a page boundary after .text");
        rejects(f -> f.put32(metaCount - 4, 0x1008), "offset " + hex(metaCount - 4) + ": dataOffset is not the 16-aligned end of the import slots");
        rejects(f -> f.put32(metaCount - 4, 0x1010), "offset " + hex(metaCount - 4) + ": dataOffset is not the 16-aligned end of the import slots");
        rejects(f -> f.put32(metaCount - 12, 0x22), "offset " + hex(metaCount - 12) + ": entry offset outside .text");
        for (int at : new int[] {3, 8, 23}) { // the limit word, the reserved word, the slot
            rejects(f -> f.bytes[f.sectionOffset(".ring0.imports") + at] = 1,
                    "offset " + hex(hello().sectionOffset(".ring0.imports")) + ": the control words and import slots are not zero");
        }
        int gap = hello().sectionOffset(".ring0.imports") + 24;
        rejects(f -> f.bytes[gap + 7] = 1, "offset " + hex(gap) + ": padding between the import slots and .data is not zero");
        rejects(f -> f.put16(metaCount - 16, 1), "offset " + hex(metaCount - 16) + ": .ring0.meta version 1 is not supported");
    }

    @Test
    void rejectsUnknownImport() {
        int name = hello().sectionOffset(".ring0.meta") + 26;
        rejects(f -> f.bytes[name + 3] = 'o', "offset " + hex(name) + ": unknown import wrote");
        rejects(f -> f.bytes[name + 1] = 'W', "offset " + hex(name) + ": unknown import Write");
    }

    @Test
    void rejectsSegmentsThatDoNotMatchTheSections() {
        ElfTestFile h = hello();
        int text = h.programHeader(1), rw = h.programHeader(2), stack = h.programHeader(4);
        rejects(f -> f.put32(text + 4, 7), "offset " + hex(text + 4) + ": segment is both writable and executable");
        rejects(f -> f.put32(text + 4, 4), "offset " + hex(text) + ": the segment loading .text does not match it exactly");
        rejects(f -> f.put64(text + 0x28, 0x23), "offset " + hex(text) + ": the segment loading .text does not match it exactly");
        rejects(f -> f.put64(text + 0x28, 0x2000), "offset " + hex(rw + 0x10) + ": PT_LOAD segments overlap or are out of order");
        rejects(f -> f.put32(rw + 4, 4), "offset " + hex(rw) + ": the segment loading the read-write region does not match it exactly");
        rejects(f -> f.put64(rw + 0x10, 0x402008).put64(rw + 0x18, 0x402008).put64(rw + 8, 0x2008), "offset " + hex(h.sectionHeader(".ring0.imports")) + ": the read-write region is not loaded by its own PT_LOAD segment");
        rejects(f -> f.put32(stack + 4, 7), "offset " + hex(stack + 4) + ": segment is both writable and executable");
        rejects(f -> f.put32(stack + 4, 5), "offset " + hex(stack + 4) + ": executable stack requested");
        rejects(f -> f.put64(stack + 0x28, 0x1000), "offset " + hex(stack + 8) + ": PT_GNU_STACK with an address or size");
        rejects(f -> f.put32(stack, 3), "offset " + hex(stack) + ": unsupported program header type 0x3");
        rejects(f -> f.put64(text + 0x18, 0x401001), "offset " + hex(text + 0x18) + ": segment physical address differs from its virtual address");
        rejects(f -> f.put64(text + 0x10, 0x400000).put64(text + 0x18, 0x400000).put64(text + 8, 0), "offset " + hex(text + 0x10) + ": PT_LOAD segments overlap or are out of order");
        rejects(f -> f.put64(0x18, 0x402000), "offset 0x18: e_entry is not in an executable segment");
        long stub = h.u64(h.sectionHeader(".ring0.stub") + 0x10);
        rejects(f -> f.put64(0x18, stub + 1), "offset 0x18: e_entry " + hex(stub + 1) + " is not the first byte of .ring0.stub");
        rejects(f -> f.put64(0x18, 0x401000), "offset 0x18: e_entry 0x401000 is not the first byte of .ring0.stub");
        int headers = h.programHeader(0);
        rejects(f -> f.put32(headers + 4, 5), "offset " + hex(headers) + ": PT_LOAD loads neither the headers nor a section of the program");
        rejects(f -> f.put64(headers + 32, 0x1001).put64(headers + 40, 0x1001), "offset " + hex(text + 0x10) + ": PT_LOAD segments overlap or are out of order");
    }

    @Test
    void rejectsBadSymbols() {
        ElfTestFile h = hello();
        int sym = h.sectionOffset(".symtab") + 24 * 6; // "main"
        int mainName = h.sectionOffset(".strtab") + h.u32(sym);
        rejects(f -> f.bytes[mainName] = 7, "offset " + hex(mainName) + ": non-printable character in a name");
        rejects(f -> f.put64(sym + 16, 0x1000), "offset " + hex(sym + 8) + ": symbol main lies outside its section");
        rejects(f -> f.bytes[sym + 4] = 0x12, "offset " + hex(sym + 4) + ": local and global symbols are not separated by sh_info");
        rejects(f -> f.put64(f.sectionHeader(".symtab") + 0x38, 16), "offset " + hex(h.sectionHeader(".symtab") + 0x38) + ": .symtab entry size or total size is wrong");
    }

    @Test
    void ignoresNothingThatLinuxWouldLoad() {
        // Any loaded section besides text, slots, data and stub is rejected (here: .strtab made loadable).
        rejects(f -> f.put64(f.sectionHeader(".strtab") + 8, 2).put64(f.sectionHeader(".strtab") + 0x10, 0x500000),
                "offset " + hex(hello().sectionHeader(".strtab")) + ": unexpected loadable section .strtab");
    }

    /** Seeds for fuzzing: hello, and random programs with and without a types section. */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(ElfWriter.write(ElfTestPrograms.hello()));
        seeds.add(ElfWriter.write(ElfTestPrograms.hello(), "types".getBytes(StandardCharsets.US_ASCII)));
        Random rnd = new Random(3);
        while (seeds.size() < 8) {
            Program p = ElfTestPrograms.random(rnd);
            if (p.text().length > 4096) continue; // keep the files small: the fuzz copies them a lot
            seeds.add(ElfWriter.write(p, rnd.nextBoolean() ? null : new byte[rnd.nextInt(40)]));
        }
        return seeds;
    }

    /** Structural byte ranges of a seed, where mutations are most interesting. */
    private static int[][] structure(byte[] elf) {
        ElfTestFile f = new ElfTestFile(elf);
        List<int[]> r = new ArrayList<>();
        r.add(new int[] {0, 64 + 5 * 56});
        r.add(new int[] {f.shoff(), elf.length});
        for (String s : new String[] {".ring0.meta", ".symtab", ".strtab", ".shstrtab", ".ring0.imports"}) {
            r.add(new int[] {f.sectionOffset(s), f.sectionOffset(s) + (int) f.sectionSize(s)});
        }
        return r.toArray(int[][]::new);
    }

    private static final long[] INTERESTING = {0, 1, 2, 7, 8, 16, 0x40, 0xff, 0x1000, 0x1001, 0xfff, 0x400000,
        0x401000, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 1L << 32, 1L << 47, Long.MAX_VALUE, Long.MIN_VALUE, -1, -8, -4096};

    private static void mutate(byte[] m, int[][] structure, Random rnd) {
        int[] region = structure[rnd.nextInt(structure.length)];
        int at = region[1] > region[0] ? rnd.nextInt(region[0], region[1]) : rnd.nextInt(m.length);
        if (rnd.nextInt(8) == 0) at = rnd.nextInt(m.length);
        switch (rnd.nextInt(4)) {
            case 0 -> m[at] = (byte) rnd.nextInt(256);
            case 1 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
            default -> {
                int width = 1 << rnd.nextInt(1, 4); // 2, 4 or 8 bytes, aligned like the ELF fields
                at &= -width;
                long v = rnd.nextInt(3) == 0 ? rnd.nextLong() : INTERESTING[rnd.nextInt(INTERESTING.length)]
                        + (rnd.nextBoolean() ? 0 : m.length);
                for (int i = 0; i < width && at + i < m.length; i++) m[at + i] = (byte) (v >>> (8 * i));
            }
        }
    }

    /** Fails unless an image the reader accepted keeps the layout promises the kernel relies on. */
    private static void assertConsistent(ElfImage img, byte[] file) {
        assertThat(img.text().length).isPositive().isLessThanOrEqualTo(img.rwOffset());
        assertThat(img.rwOffset() % 4096).isZero();
        assertThat(img.dataOffset()).isEqualTo((img.rwOffset() + 16 + 8 * img.imports().size() + 15) / 16 * 16);
        assertThat(img.slotOffset(0)).isEqualTo(img.rwOffset() + 16);
        assertThat(img.limitOffset()).isEqualTo(img.rwOffset());
        assertThat(img.entryOffset()).isBetween(0, img.text().length - 1);
        assertThat(img.textVaddr() % 4096).isZero();
        assertThat(img.imports()).doesNotHaveDuplicates();
        assertThat(img.textFileOffset() + img.text().length).isLessThanOrEqualTo(file.length);
    }

    @Test
    void mutantsAreRejectedOrConsistent() {
        List<byte[]> seeds = seeds();
        List<int[][]> structures = seeds.stream().map(ElfReaderTest::structure).toList();
        Random rnd = new Random(20_240_601);
        int rejected = 0;
        for (int i = 0; i < FUZZ; i++) {
            int s = rnd.nextInt(seeds.size());
            byte[] m = seeds.get(s).clone();
            for (int k = rnd.nextInt(1, 4); k > 0; k--) mutate(m, structures.get(s), rnd);
            try {
                assertConsistent(ElfReader.read(m), m);
            } catch (MalformedElfException e) {
                rejected++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                throw new AssertionError("mutant " + i + " of seed " + s + " escaped with " + e, e);
            }
        }
        assertThat(rejected).as("most structural mutations must be caught").isGreaterThan(FUZZ / 2);
    }

    @Test
    void everyTruncationIsRejected() {
        for (byte[] seed : seeds().subList(0, 3)) {
            for (int len = 0; len < seed.length; len++) {
                byte[] t = Arrays.copyOf(seed, len);
                assertThatThrownBy(() -> ElfReader.read(t)).as("length %d", len).isInstanceOf(MalformedElfException.class);
            }
        }
    }

    @Test
    void extraBytesAndRandomFilesAreHandled() {
        Random rnd = new Random(5);
        byte[] seed = hello().bytes;
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[rnd.nextInt(0, 400)];
            rnd.nextBytes(junk);
            if (rnd.nextBoolean()) System.arraycopy(seed, 0, junk, 0, Math.min(64, junk.length));
            try {
                ElfReader.read(junk);
            } catch (MalformedElfException expected) {
                // fine
            }
        }
    }
}
