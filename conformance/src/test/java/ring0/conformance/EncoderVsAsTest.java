package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ring0.asm.Encoder;
import ring0.isa.Insn;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Differential test of {@link Encoder} against GNU as: every instance in the
 * {@link FormCatalog} must come out byte for byte as GNU as encodes the same
 * instruction written in Intel syntax. There are no tolerated differences.
 */
class EncoderVsAsTest {

    @BeforeAll
    static void needsAs() {
        assumeTrue(GnuAs.available(), "GNU as is not installed");
    }

    @Test
    void everyCatalogFormMatchesGnuAs() throws Exception {
        List<Insn> catalog = FormCatalog.all();
        long start = System.nanoTime();
        List<GnuAs.Mismatch> mismatches = GnuAs.compare(catalog);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("EncoderVsAsTest: %d forms compared with GNU as in %d ms, %d mismatches%n",
                catalog.size(), ms, mismatches.size());
        assertThat(mismatches)
                .withFailMessage(() -> mismatches.size() + " of " + catalog.size() + " forms differ from GNU as; first ones:\n"
                        + mismatches.stream().limit(20).map(Object::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    /** The catalog must exercise every instruction record of the model. */
    @Test
    void catalogCoversEveryInstructionRecord() {
        Set<Class<?>> seen = FormCatalog.all().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(seen).containsExactlyInAnyOrder(Insn.class.getPermittedSubclasses());
    }

    /** Guards the harness itself: known answers, and a wrong encoder is caught at the right instruction. */
    @Test
    void harnessCutsPerInstructionAndSeesDifferences() throws Exception {
        List<byte[]> bytes = GnuAs.assemble(List.of("add rax, rcx", "mov rax, 0x80000000", "jmp .+0x2", "{disp32} jmp .+0x5"));
        assertThat(bytes).extracting(GnuAs::hex)
                .containsExactly("48 01 c8", "48 b8 00 00 00 80 00 00 00 00", "eb 00", "e9 00 00 00 00");

        Insn add = new Insn.Alu(Insn.AluOp.ADD, Width.QWORD, Reg.RAX, Reg.RCX);
        Insn sub = new Insn.Alu(Insn.AluOp.SUB, Width.QWORD, Reg.RAX, Reg.RCX);
        Insn jmp = new Insn.Jmp(0, false);
        // The reversed-operand form 48 03 c1 is also "add rax, rcx", but it is not what GNU as emits.
        byte[] reversedAdd = {0x48, 0x03, (byte) 0xc1};
        List<GnuAs.Mismatch> found = GnuAs.compare(List.of(sub, add, jmp, sub),
                i -> i.equals(add) ? reversedAdd : Encoder.encode(i));
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().index()).isEqualTo(1);
        assertThat(GnuAs.hex(found.getFirst().theirs())).isEqualTo("48 01 c8");
        assertThat(GnuAs.compare(List.of(sub, add, jmp, sub))).isEmpty();
    }
}
