package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.verify.Expect.MAIN;
import static ring0.verify.Expect.accepts;
import static ring0.verify.Expect.rejects;

import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.elf.ElfImage;
import ring0.isa.Reg;

/** Whole-program structure: the section, the stop block, polls, regions, labels, data, entry. */
class CheckerStructureTest {

    static TestProgram ret0() {
        return new TestProgram().label("main", MAIN).zero(Reg.RAX).ret();
    }

    @Test
    void minimalProgram() {
        Verified v = accepts(ret0());
        assertThat(v.labels()).containsExactly(new Verified.LabelInfo("main", 8, v.image().text().length - 8, MAIN));
        assertThat(v.instructions()).isEqualTo(6);
    }

    @Test
    void untypedFile() throws Exception {
        TestProgram p = ret0();
        ElfImage img = p.image("main", null);
        try {
            Checker.check(img, "u");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).isEqualTo("not a typed program: no .ring0.types section");
            assertThat(e.toString()).isEqualTo("u: not a typed program: no .ring0.types section");
        }
    }

    @Test
    void malformedSectionGivesFileOffset() throws Exception {
        TestProgram p = ret0();
        byte[] s = p.typesSection();
        s[8] = 9;
        try {
            Checker.check(p.image("main", s), "t");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().fileOffset()).isEqualTo(0x200000 + 8);
            assertThat(e.rejection().message()).isEqualTo(".ring0.types offset 0x8: version 9 is not supported");
        }
    }

    @Test
    void publicEntryPointsNeverThrowAnythingElse() {
        try {
            Checker.check(new byte[] {0x7f, 'E', 'L', 'F'}, "x");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).startsWith("malformed ELF file:");
        }
        try {
            Checker.check((byte[]) null, "x");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).startsWith("malformed ELF file:");
        }
    }

    @Test
    void stopBlock() throws Exception {
        TestProgram p = ret0();
        byte[] text = p.text();
        text[6] = (byte) 0x90;   // jmp replaced by two nops
        text[7] = (byte) 0x90;
        ElfImage img = p.image("main");
        ElfImage bad = new ElfImage(img.textVaddr(), text, img.rwOffset(), img.imports(), img.dataOffset(), img.data(),
                img.entryOffset(), img.symbols(), img.types(), img.textFileOffset(), img.typesFileOffset());
        try {
            Checker.check(bad, "t");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).startsWith("bad stop block");
            assertThat(e.rejection().imageOffset()).isEqualTo(6);
        }
        ElfImage noStop = new ElfImage(img.textVaddr(), img.text(), img.rwOffset(), List.of(Service.CLOCK), img.dataOffset(),
                img.data(), img.entryOffset(), img.symbols(), img.types(), img.textFileOffset(), img.typesFileOffset());
        try {
            Checker.check(noStop, "t");   // the stop block calls slot 0, but stop is not imported
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).isEqualTo("bad stop block: the program does not import stop");
        }
    }

    /** An image made by hand may claim any layout; .data must not cover the limit word or the slots. */
    @Test
    void forgedLayoutIsRejected() {
        TestProgram p = ret0().wordData("n", 0);
        ElfImage img = p.image("main");
        ElfImage overLimit = new ElfImage(img.textVaddr(), img.text(), img.rwOffset(), img.imports(), img.rwOffset(), img.data(),
                img.entryOffset(), img.symbols(), img.types(), img.textFileOffset(), img.typesFileOffset());
        ElfImage overText = new ElfImage(img.textVaddr(), img.text(), 8, img.imports(), img.dataOffset(), img.data(),
                img.entryOffset(), img.symbols(), img.types(), img.textFileOffset(), img.typesFileOffset());
        for (ElfImage bad : List.of(overLimit, overText)) {
            try {
                Checker.check(bad, "t");
                throw new AssertionError("accepted");
            } catch (IllTyped e) {
                assertThat(e.rejection().message()).startsWith("malformed image: ");
            }
        }
    }

    @Test
    void poll() {
        rejects(new TestProgram().rawLabel("main", MAIN).zero(Reg.RAX).ret(), "missing poll: a label must start with cmp rsp, [rel limit]");
        TestProgram wrongTarget = new TestProgram().rawLabel("main", MAIN);
        wrongTarget.rip(0x3B, Reg.RSP, TestProgram.RW + 8).emit(0x76, 0).zero(Reg.RAX).ret();
        rejects(wrongTarget, "missing poll: a label must start");
        TestProgram noJbe = new TestProgram().rawLabel("main", MAIN);
        noJbe.rip(0x3B, Reg.RSP, TestProgram.RW).emit(0x77, -(noJbe.pos() + 2) & 0xff).zero(Reg.RAX).ret();
        rejects(noJbe, "missing poll: cmp rsp, [rel limit] must be followed by jbe to the stop block");
    }

    @Test
    void codeBeforeTheFirstLabel() {
        TestProgram p = new TestProgram().nop().label("main", MAIN).zero(Reg.RAX).ret();
        Rejection r = rejects(p, "code before the first label");
        assertThat(r.imageOffset()).isEqualTo(8);
    }

    @Test
    void regionsTileExactly() {
        TestProgram p = new TestProgram().label("main", MAIN).zero(Reg.RAX);
        p.emit(0x48, 0xC7, 0xC1);                 // mov rcx, imm32 ... whose immediate holds the next label
        p.rawLabel("inner", MAIN).emit(0, 0, 0, 0).ret();
        rejects(p, "instruction crosses into label inner");
    }

    @Test
    void unreachableCodeAndFallingOff() {
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().nop(), "unreachable code");
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX), "falls off the end of .text");
        // falling into the next label is a jump to it
        accepts(new TestProgram().label("main", MAIN).zero(Reg.RAX).label("next", "{rax: int | code{rax: int | s} :: s}").ret());
        rejects(new TestProgram().label("main", MAIN).label("next", "{rax: int | code{rax: int | s} :: s}").ret(),
                "fall through to next: rax has no value");
    }

    @Test
    void undecodableCode() {
        Rejection r = rejects(new TestProgram().label("main", MAIN).emit(0x0F, 0x05), "cannot decode:");
        assertThat(r.imageOffset()).isEqualTo(8 + 13);
        assertThat(r.instruction()).isNull();
    }

    @Test
    void labelsOutsideText() {
        TestProgram p = ret0();
        p.rawLabel("after", MAIN);   // at the end of .text
        Rejection r = rejects(p, "label after is outside .text");
        assertThat(r.fileOffset()).isGreaterThan(0x200000);
    }

    @Test
    void entryLabelMustAcceptTheInitialState() {
        accepts(new TestProgram().label("main", "{rdi: [bytes] | code{rax: int | s} :: s}").load(Reg.RAX, Reg.RDI, 0).ret());
        Rejection r = rejects(new TestProgram().label("main", "{rdi: bytes | code{rax: int | s} :: s}").zero(Reg.RAX).ret(),
                "program entry main: rdi has the wrong type");
        assertThat(r.expected()).isEqualTo("bytes");
        assertThat(r.found()).isEqualTo("[bytes]");
        rejects(new TestProgram().label("main", "{| s}").zero(Reg.RAX).emit(0xEB, 0xFE), "branch target is not a label");
        rejects(new TestProgram().label("main", "{| s}").jmp("main"), "program entry main: misaligned stack");
        TestProgram p = ret0();
        try {
            Checker.check(p.image("nowhere"), "t");   // entry offset 8 is main: fine
            ElfImage img = p.image("main");
            ElfImage off = new ElfImage(img.textVaddr(), img.text(), img.rwOffset(), img.imports(), img.dataOffset(), img.data(),
                    10, img.symbols(), img.types(), img.textFileOffset(), img.typesFileOffset());
            Checker.check(off, "t");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).isEqualTo("the entry point is not a label");
        }
    }

    @Test
    void dataLabels() {
        accepts(ret0().bytesData("msg", "hello".getBytes()).wordsData("tbl", 1, 2, 3).wordData("n", 7));
        TestProgram wrongLength = ret0().bytesData("msg", "hello".getBytes());
        byte[] s = wrongLength.typesSection();
        // the declared length is the last 8 bytes before the coercion count: patch 5 -> 6
        s[s.length - 4 - 8] = 6;
        try {
            Checker.check(wrongLength.image("main", s), "t");
            throw new AssertionError("accepted");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).isEqualTo("data label msg: its length word is 5, but it is declared with length 6");
        }
    }

    @Test
    void rejectionFormat() {
        Rejection r = rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).load(Reg.RAX, Reg.RBX, 8).ret(),
                "base register rbx has no value (junk)");
        assertThat(r.toString()).isEqualTo("t:0x401017 <main+0xf>: mov rax, [rbx+8]: base register rbx has no value (junk)");
        assertThat(r.toJson()).isEqualTo("{\"file\":\"t\",\"fileOffset\":4119,\"address\":4198423,\"imageOffset\":23,"
                + "\"label\":\"main\",\"labelOffset\":15,\"instruction\":\"mov rax, [rbx+8]\","
                + "\"message\":\"base register rbx has no value (junk)\",\"expected\":null,\"found\":null}");
        Rejection q = new Rejection("a\"b\\c\n", -1, -1, -1, null, -1, null, "m\u0001", "x", null);
        assertThat(q.toJson()).isEqualTo("{\"file\":\"a\\\"b\\\\c\\n\",\"fileOffset\":null,\"address\":null,\"imageOffset\":null,"
                + "\"label\":null,\"labelOffset\":null,\"instruction\":null,\"message\":\"m\\u0001\",\"expected\":\"x\",\"found\":null}");
    }

    @Test
    void verifiedListsLabelsAndData() {
        Verified v = accepts(new TestProgram().label("main", MAIN).zero(Reg.RAX).label("b", "{rax: int | code{rax: int | s} :: s}").ret()
                .bytesData("msg", "hi".getBytes()));
        assertThat(v.labels()).extracting(Verified.LabelInfo::name).containsExactly("main", "b");
        assertThat(v.labelCount()).isEqualTo(2);
        assertThat(v.data()).containsExactly(new Verified.DataInfo("msg", new TestProgram().dataOffset(), TypesSection.DataKind.BYTES, 2));
        assertThat(v.labels().get(0).size() + v.labels().get(1).size() + 8).isEqualTo(v.image().text().length);
        assertThat(List.copyOf(v.labels())).isEqualTo(v.labels());
    }
}
