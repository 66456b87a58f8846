package ring0.elf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader's checks of the ELF header, on synthetic headers (the full-file
 * tests, which need the writer, are in the asm module's ElfReaderTest).
 */
class ElfReaderHeaderTest {

    /** A plausible ELF64 x86-64 executable header followed by {@code extra} zero bytes. */
    private static byte[] header(int extra) {
        ByteBuffer b = ByteBuffer.allocate(64 + extra).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1);
        b.putLong(0x403000).putLong(64).putLong(0x3000).putInt(0);
        b.putShort((short) 64).putShort((short) 56).putShort((short) 5).putShort((short) 64)
                .putShort((short) 9).putShort((short) 8);
        return b.array();
    }

    private static void rejects(byte[] file, String messagePrefix) {
        assertThatThrownBy(() -> ElfReader.read(file))
                .isInstanceOf(MalformedElfException.class)
                .hasMessageStartingWith(messagePrefix);
    }

    @Test
    void emptyAndShortFilesAreTruncated() {
        rejects(new byte[0], "offset 0x0: ELF header (0x40 bytes) lies outside the file");
        rejects(new byte[] {0x7f, 'E', 'L', 'F'}, "offset 0x0: ELF header (0x40 bytes) lies outside the file");
        byte[] h = header(0);
        rejects(java.util.Arrays.copyOf(h, 63), "offset 0x0: ELF header (0x40 bytes) lies outside the file");
    }

    @Test
    void badMagic() {
        byte[] h = header(0);
        h[1] = 'e';
        rejects(h, "offset 0x0: bad magic");
    }

    @Test
    void wrongClassEndiannessVersionAbi() {
        byte[] h = header(0);
        h[4] = 1;
        rejects(h, "offset 0x4: not a 64-bit ELF file: EI_CLASS is 1");
        h = header(0);
        h[5] = 2;
        rejects(h, "offset 0x5: not little-endian: EI_DATA is 2");
        h = header(0);
        h[6] = 0;
        rejects(h, "offset 0x6: unsupported ELF version");
        h = header(0);
        h[7] = 3;
        rejects(h, "offset 0x7: unsupported OS ABI");
        h = header(0);
        h[12] = 1;
        rejects(h, "offset 0x9: non-zero padding");
    }

    @Test
    void wrongTypeAndMachine() {
        byte[] h = header(0);
        h[16] = 3; // ET_DYN
        rejects(h, "offset 0x10: not an executable: e_type is 3");
        h = header(0);
        h[18] = 3; // EM_386
        rejects(h, "offset 0x12: not x86-64: e_machine is 3");
    }

    @Test
    void badHeaderSizesAndCounts() {
        byte[] h = header(0);
        h[54] = 32;
        rejects(h, "offset 0x36: bad e_phentsize");
        h = header(0);
        h[56] = 0;
        rejects(h, "offset 0x38: bad e_phnum 0");
        h = header(0);
        h[62] = 9;
        rejects(h, "offset 0x3e: bad e_shstrndx 9");
    }

    @Test
    void headerTablesOutsideTheFile() {
        rejects(header(0), "offset 0x40: program header table (0x118 bytes) lies outside the file");
        byte[] h = header(0);
        h[32] = 0x41; // e_phoff misaligned
        rejects(h, "offset 0x20: program header table offset 0x41 is not 8-byte aligned");
    }

    @Test
    void randomHeadersNeverThrowAnythingElse() {
        Random rnd = new Random(1);
        byte[] base = header(0x400);
        for (int i = 0; i < 20_000; i++) {
            byte[] h = base.clone();
            for (int k = rnd.nextInt(1, 6); k > 0; k--) h[rnd.nextInt(64)] = (byte) rnd.nextInt(256);
            try {
                ElfReader.read(h);
            } catch (MalformedElfException expected) {
                // the only acceptable failure
            }
        }
    }
}
