package ring0.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ring0.asm.Assembler;
import ring0.asm.Program;
import ring0.isa.Decoder;
import ring0.isa.Insn;

class CorpusTest {

    @Test
    void generatorIsDeterministicPerSeed() {
        assertThat(ProgramGenerator.generate(7, 20)).isEqualTo(ProgramGenerator.generate(7, 20));
        assertThat(ProgramGenerator.generate(7, 20)).isNotEqualTo(ProgramGenerator.generate(8, 20));
    }

    @Test
    void generatedProgramAloneFillsTheCorpusAndIsVaried() throws Exception {
        Program p = Assembler.assemble(ProgramGenerator.generate(Corpus.SEED, Corpus.FUNCTIONS), "generated.tal");
        assertThat(p.text().length).isGreaterThanOrEqualTo(Corpus.SIZE);

        // Every byte decodes, and the code uses the mix of forms the generator promises.
        var kinds = new java.util.HashSet<Class<?>>();
        int sib = 0, rel8 = 0, rel32 = 0, rip = 0;
        for (int off = 0; off < p.text().length; ) {
            var d = Decoder.decode(p.text(), off, p.text().length);
            kinds.add(d.insn().getClass());
            switch (d.insn()) {
                case Insn.Jcc j -> { if (j.rel8()) rel8++; else rel32++; }
                case Insn.Mov m when m.src() instanceof ring0.isa.Mem mem && mem.index() != null -> sib++;
                case Insn.Mov m when m.src() instanceof ring0.isa.Mem mem && mem.rip() -> rip++;
                default -> { }
            }
            off += d.length();
        }
        assertThat(kinds).contains(Insn.Mov.class, Insn.Alu.class, Insn.Lea.class, Insn.Jcc.class, Insn.Call.class,
                Insn.Ret.class, Insn.Push.class, Insn.Pop.class, Insn.Cmov.class, Insn.Imul3.class, Insn.Shift.class,
                Insn.Movx.class, Insn.Unary.class, Insn.Test.class);
        assertThat(sib).as("SIB loads").isGreaterThan(100);
        assertThat(rip).as("RIP-relative loads").isGreaterThan(10);
        assertThat(rel8).as("short branches").isGreaterThan(100);
        assertThat(rel32).as("near branches").isGreaterThan(10);
    }

    @Test
    void typedCorpusIsAcceptedWithSharedAndWithDistinctPreconditionTexts() throws Exception {
        java.nio.file.Path sum = Corpus.findExamples().resolve("sum.tal");
        var one = ring0.verify.Checker.check(TypedCorpus.elf(sum, 1, false), "one");
        var shared = ring0.verify.Checker.check(TypedCorpus.elf(sum, 3, false), "shared");
        var distinct = ring0.verify.Checker.check(TypedCorpus.elf(sum, 3, true), "distinct");
        assertThat(distinct.instructions()).isEqualTo(shared.instructions()).isGreaterThan(one.instructions());
        assertThat(distinct.labelCount()).isEqualTo(shared.labelCount());
        // shared: the copies add no new precondition text; distinct: every copy adds its own
        assertThat(texts(shared)).isEqualTo(texts(one));
        assertThat(texts(distinct)).isGreaterThan(texts(shared));
    }

    private static long texts(ring0.verify.Verified v) {
        return v.labels().stream().map(ring0.verify.Verified.LabelInfo::precondition).distinct().count();
    }

    @Test
    void corpusIsExactlySizeBytesOfWholeInstructions() {
        Corpus corpus = Corpus.build(Corpus.findExamples());
        byte[] c = corpus.code();
        assertThat(c).hasSize(Corpus.SIZE);
        assertThat(Corpus.wholeInstructions(c, c.length)).isEqualTo(Corpus.SIZE);
        assertThat(corpus.included()).contains("hello.tal", "cat.tal").endsWith("generated.tal");
        assertThat(Corpus.build(Corpus.findExamples()).code()).isEqualTo(c);
    }
}
