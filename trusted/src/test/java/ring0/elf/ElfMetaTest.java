package ring0.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;

/** Parsing of the {@code .ring0.meta} section on hand-made bytes. */
class ElfMetaTest {
    private static final long AT = 0x10; // the section's file offset inside the test buffer

    /** A buffer with 16 bytes of junk, then a meta section with the given names. */
    private static byte[] meta(int version, int flags, int count, String... names) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[(int) AT]);
        o.writeBytes(new byte[] {'R', 'I', 'N', 'G', '0', 0, 0, 0});
        le(o, version, 2);
        le(o, flags, 2);
        le(o, 5, 4);        // entry
        le(o, 0x1000, 4);   // rwOffset
        le(o, 0x1020, 4);   // dataOffset
        le(o, count, 2);
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.ISO_8859_1);
            o.write(b.length);
            o.writeBytes(b);
        }
        return o.toByteArray();
    }

    private static void le(ByteArrayOutputStream o, long v, int bytes) {
        for (int i = 0; i < bytes; i++) o.write((int) (v >>> (8 * i)));
    }

    private static ElfMeta parse(byte[] b) throws MalformedElfException {
        return ElfMeta.parse(new ElfBytes(b), AT, b.length - AT);
    }

    private static void rejects(byte[] b, String messagePrefix) {
        assertThatThrownBy(() -> parse(b)).isInstanceOf(MalformedElfException.class).hasMessageStartingWith(messagePrefix);
    }

    @Test
    void parsesAllServices() throws MalformedElfException {
        Service[] all = Service.values();
        String[] names = new String[all.length];
        for (int i = 0; i < all.length; i++) names[i] = all[i].importName();
        ElfMeta m = parse(meta(2, 0, all.length, names));
        assertThat(m.imports()).containsExactly(all);
        assertThat(m.entry()).isEqualTo(5);
        assertThat(m.rwOffset()).isEqualTo(0x1000);
        assertThat(m.dataOffset()).isEqualTo(0x1020);
        assertThat(m.fileOffset()).isEqualTo(AT);
    }

    @Test
    void keepsSlotOrder() throws MalformedElfException {
        assertThat(parse(meta(2, 0, 3, "write", "exit", "read")).imports())
                .isEqualTo(List.of(Service.WRITE, Service.EXIT, Service.READ));
    }

    @Test
    void rejectsBadHeader() {
        byte[] b = meta(2, 0, 0);
        b[(int) AT + 4] = 'O';
        rejects(b, "offset 0x10: .ring0.meta has bad magic");
        rejects(meta(1, 0, 0), "offset 0x18: .ring0.meta version 1 is not supported");
        rejects(meta(3, 0, 0), "offset 0x18: .ring0.meta version 3 is not supported");
        rejects(meta(2, 1, 0), "offset 0x1a: .ring0.meta flags must be zero");
        rejects(java.util.Arrays.copyOf(meta(2, 0, 0), (int) AT + 25), "offset 0x10: .ring0.meta is truncated");
    }

    @Test
    void rejectsUnknownAndDuplicateImports() {
        rejects(meta(2, 0, 1, "fork"), "offset 0x2a: unknown import fork");
        rejects(meta(2, 0, 1, "WRITE"), "offset 0x2a: unknown import WRITE");
        rejects(meta(2, 0, 2, "write", "write"), "offset 0x30: duplicate import write");
        rejects(meta(2, 0, 1, "wr\u0001te"), "offset 0x2d: .ring0.meta import 0 name is not printable ASCII");
        rejects(meta(2, 0, 1, ""), "offset 0x2a: .ring0.meta import 0 has a bad name length");
    }

    @Test
    void rejectsCountMismatch() {
        rejects(meta(2, 0, 2, "write"), "offset 0x30: .ring0.meta is truncated in import 1");
        rejects(meta(2, 0, 1, "write", "read"), "offset 0x30: .ring0.meta has trailing bytes");
        byte[] b = meta(2, 0, 1, "write");
        rejects(java.util.Arrays.copyOf(b, b.length - 1), "offset 0x2a: .ring0.meta import 0 has a bad name length");
    }
}
