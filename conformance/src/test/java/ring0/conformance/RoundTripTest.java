package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.asm.Encoder;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Encoder and strict decoder agree: for every {@link FormCatalog} instance,
 * decoding our encoding gives back the same {@link Insn} and consumes exactly
 * the encoded length. Needs no external tools.
 */
class RoundTripTest {

    @Test
    void decodeOfEncodeIsIdentity() {
        List<Insn> catalog = FormCatalog.all();
        List<String> failures = new ArrayList<>();
        for (Insn insn : catalog) {
            byte[] code = Encoder.encode(insn);
            String problem;
            try {
                Decoded d = Decoder.decode(code, 0, code.length);
                problem = d.insn().equals(insn) && d.length() == code.length ? null
                        : "decoded as " + d.insn() + " length " + d.length();
            } catch (DecodeException e) {
                problem = "rejected: " + e.getMessage();
            }
            if (problem != null) {
                failures.add(GasWriter.write(insn) + "  (" + insn + ")  " + GnuAs.hex(code) + "  " + problem);
            }
        }
        System.out.printf("RoundTripTest: %d forms, %d failures%n", catalog.size(), failures.size());
        assertThat(failures)
                .withFailMessage(() -> failures.size() + " of " + catalog.size() + " forms do not round-trip; first ones:\n  "
                        + String.join("\n  ", failures.subList(0, Math.min(20, failures.size()))))
                .isEmpty();
    }

    /** Decoding a whole stream of back-to-back instructions stays in step with the encoder. */
    @Test
    void decodesConcatenatedCatalogInStep() throws DecodeException {
        List<Insn> catalog = FormCatalog.all();
        byte[] code = Encoder.encodeAll(catalog);
        int p = 0;
        for (Insn insn : catalog) {
            Decoded d = Decoder.decode(code, p, code.length);
            assertThat(d.insn()).as("at offset %d", p).isEqualTo(insn);
            p += d.length();
        }
        assertThat(p).isEqualTo(code.length);
    }

    /** The encoder's entry points agree with each other: array, length, stream and in-place. */
    @Test
    void encoderEntryPointsAgree() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] buffer = new byte[Encoder.MAX_LENGTH + 3];
        for (Insn insn : FormCatalog.all()) {
            byte[] code = Encoder.encode(insn);
            assertThat(code.length).as("%s", insn).isEqualTo(Encoder.length(insn)).isBetween(1, Encoder.MAX_LENGTH);
            Arrays.fill(buffer, (byte) 0x5A);
            int end = Encoder.encode(insn, buffer, 3);
            assertThat(end).isEqualTo(3 + code.length);
            assertThat(Arrays.copyOfRange(buffer, 3, end)).isEqualTo(code);
            assertThat(buffer[0]).isEqualTo((byte) 0x5A);
            Encoder.encode(insn, stream);
        }
        assertThat(stream.toByteArray()).isEqualTo(Encoder.encodeAll(FormCatalog.all()));
    }

    /** Encoding in place into a too-small array fails before writing anything. */
    @Test
    void inPlaceEncodingChecksRoomFirst() {
        Insn movabs = new Insn.Mov(Width.QWORD, Reg.R9, new Imm(Long.MIN_VALUE));
        byte[] small = new byte[12];
        assertThatThrownBy(() -> Encoder.encode(movabs, small, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(small).containsOnly((byte) 0);
        assertThat(Encoder.encode(movabs, small, 2)).isEqualTo(12);
        assertThat(GnuAs.hex(Arrays.copyOfRange(small, 2, 12))).isEqualTo("49 b9 00 00 00 00 00 00 00 80");
    }
}
