package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.verify.Expect.MAIN;
import static ring0.verify.Expect.accepts;
import static ring0.verify.Expect.rejects;

import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Reg;

/** One accepted and one rejected program per data-flow and memory rule (docs/types.md §5, §6). */
class InstructionRulesTest {
    static final String RET_INT = "code{rax: int | s} :: s";
    static final String ARGV = "{rdi: [bytes] | " + RET_INT + "}";

    /** A program whose entry just returns 0, followed by label {@code name} with {@code pre}. */
    static TestProgram with(String name, String pre) {
        return new TestProgram(Service.EXIT, Service.WRITE).label("main", MAIN).zero(Reg.RAX).ret().label(name, pre);
    }

    @Test
    void arithmeticNeedsInts() {
        accepts(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 2).addImm(Reg.RAX, 3).ret());
        rejects(new TestProgram().label("main", ARGV).mov(Reg.RAX, Reg.RDI).addImm(Reg.RAX, 8).ret(), "rax is not an int");
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 2).add(Reg.RAX, Reg.RCX).ret(), "rcx has no value (junk)");
    }

    @Test
    void constantsAreFolded() {
        accepts(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 2).addImm(Reg.RAX, 3)
                .label("five", "{rax: =5 | " + RET_INT + "}").ret());
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 2).addImm(Reg.RAX, 4)
                .label("five", "{rax: =5 | " + RET_INT + "}").ret(), "fall through to five: rax has the wrong type");
        // xor r, r gives 0 whatever the register held
        accepts(new TestProgram().label("main", MAIN).zero(Reg.RAX).label("z", "{rax: =0 | " + RET_INT + "}").ret());
    }

    @Test
    void thirtyTwoBitMoveOfAPointerIsAnInt() {
        accepts(new TestProgram().label("main", ARGV).emit(0x89, 0xF8).ret());          // mov eax, edi
        rejects(new TestProgram().label("main", ARGV).mov(Reg.RAX, Reg.RDI).ret(), "return: rax has the wrong type");
    }

    @Test
    void rspIsNotAValue() {
        rejects(new TestProgram().label("main", MAIN).mov(Reg.RAX, Reg.RSP).ret(), "rsp is not a value");
        rejects(new TestProgram().label("main", MAIN).push(Reg.RSP).ret(), "rsp is not a value");
        rejects(new TestProgram().label("main", MAIN).mem(0x8D, Reg.RAX, Reg.RSP, null, 1, 8).ret(), "rsp is not a value");
        rejects(new TestProgram().label("main", MAIN).andImm(Reg.RSP, -16).ret(), "rsp is not a value");
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).emit(0x48, 0x6B, 0xE0, 0x05).ret(), "rsp is not a value");
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).emit(0x40, 0x0F, 0x94, 0xC4).ret(), "rsp is not a value");
    }

    @Test
    void stackSlots() {
        accepts(new TestProgram().label("main", MAIN).pushImm(5).load(Reg.RAX, Reg.RSP, 0).pop(Reg.RCX).ret());
        rejects(new TestProgram().label("main", MAIN).pushImm(5).load(Reg.RAX, Reg.RSP, 16).pop(Reg.RCX).ret(),
                "no stack slot 2: only 2 slots above the stack variable s");
        rejects(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 8).load(Reg.RAX, Reg.RSP, 0).ret(), "stack slot 0 is junk");
        rejects(new TestProgram().label("main", MAIN).pushImm(5).memW(false, new int[] {0x8B}, Reg.RAX, Reg.RSP, null, 1, 0).ret(),
                "stack slots are accessed as qwords");
        // a slot written takes the value
        accepts(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RCX, 1).store(Reg.RSP, 0, Reg.RCX)
                .pop(Reg.RAX).ret());
        rejects(new TestProgram().label("main", MAIN).pop(Reg.RAX).pop(Reg.RAX).ret(), "pop: no slot above the stack variable s");
    }

    @Test
    void records() {
        String pre = "{rbx: {int, ~bytes}, rsi: bytes | " + RET_INT + "}";
        accepts(with("rec", pre).load(Reg.RAX, Reg.RBX, 0).ret());
        rejects(with("rec", pre).load(Reg.RAX, Reg.RBX, 8).ret(), "field 1 is not initialized");
        rejects(with("rec", pre).movImm(Reg.RCX, 1).store(Reg.RBX, 8, Reg.RCX).ret(), "field 1 cannot hold this value");
        rejects(with("rec", pre).load(Reg.RAX, Reg.RBX, 16).ret(), "record rbx has no field at offset 16");
        rejects(with("rec", pre).load(Reg.RAX, Reg.RBX, 4).ret(), "record rbx has no field at offset 4");
        // writing through one copy initializes the field for every copy; then it can be read
        accepts(with("rec", pre).mov(Reg.RCX, Reg.RBX).store(Reg.RCX, 8, Reg.RSI).load(Reg.RDX, Reg.RBX, 8)
                .load(Reg.RAX, Reg.RDX, 0).ret());
    }

    @Test
    void nullablePointersMustBeTested() {
        String pre = "{rbx: {int}? | " + RET_INT + "}";
        String nullCase = "{rbx: =0 | " + RET_INT + "}";
        rejects(with("opt", pre).load(Reg.RAX, Reg.RBX, 0).ret(), "rbx may be null");
        accepts(with("opt", pre).test(Reg.RBX, Reg.RBX).jcc(Cond.E, "isnull").load(Reg.RAX, Reg.RBX, 0).ret()
                .label("isnull", nullCase).zero(Reg.RAX).ret());
        // the branch's refinement holds only on its own edge
        rejects(with("opt", pre).test(Reg.RBX, Reg.RBX).jcc(Cond.NE, "isnull").load(Reg.RAX, Reg.RBX, 0).ret()
                .label("isnull", nullCase).zero(Reg.RAX).ret(), "branch to isnull: rbx has the wrong type");
        rejects(with("opt", pre).test(Reg.RBX, Reg.RBX).jcc(Cond.NE, "nonnull").load(Reg.RAX, Reg.RBX, 0).ret()
                .label("nonnull", "{rbx: {int} | " + RET_INT + "}").zero(Reg.RAX).ret(), "rbx is not a pointer to memory");
        accepts(with("opt", pre).cmpImm(Reg.RBX, 0).jcc(Cond.NE, "nonnull").zero(Reg.RAX).ret()
                .label("nonnull", "{rbx: {int} | " + RET_INT + "}").load(Reg.RAX, Reg.RBX, 0).ret());
    }

    /** Sums the word array rbx. */
    static TestProgram sumLoop(boolean check) {
        TestProgram p = with("sum", "{rbx: [int] | " + RET_INT + "}").zero(Reg.RAX).zero(Reg.RCX)
                .label("loop", "{rax: int, rcx: int, rbx: [int] | " + RET_INT + "}");
        if (check) p.cmpMem(Reg.RCX, Reg.RBX, 0).jcc(Cond.AE, "done");
        return p.mem(0x03, Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).inc(Reg.RCX).jmp("loop")
                .label("done", "{rax: int | " + RET_INT + "}").ret();
    }

    @Test
    void arrayIndexMustBeProvenInBounds() {
        accepts(sumLoop(true));
        Rejection r = rejects(sumLoop(false), "index rcx not proven < length of rbx");
        assertThat(r.instruction()).isEqualTo("add rax, [rbx+rcx*8+8]");
        assertThat(r.label()).isEqualTo("loop");
    }

    @Test
    void arrayShapes() {
        String pre = "{rbx: [int], rcx: int | " + RET_INT + "; rcx < len(rbx)}";
        accepts(with("a", pre).load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret());
        rejects(with("a", pre).load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 16).ret(), "array access needs [rbx+i*8+8]");
        rejects(with("a", pre).load(Reg.RAX, Reg.RBX, Reg.RCX, 4, 8).ret(), "array access needs [rbx+i*8+8]");
        rejects(with("a", pre).store(Reg.RBX, 0, Reg.RCX).ret(), "the length word of an array cannot be written");
        rejects(with("a", pre).memW(false, new int[] {0x8B}, Reg.RAX, Reg.RBX, null, 1, 0).ret(), "array elements are accessed as qwords");
        // element writes need a subtype of the element type
        accepts(with("a", pre).store(Reg.RBX, Reg.RCX, 8, 8, Reg.RCX).zero(Reg.RAX).ret());
        rejects(with("a", "{rbx: [bytes], rcx: int | " + RET_INT + "; rcx < len(rbx)}").store(Reg.RBX, Reg.RCX, 8, 8, Reg.RCX)
                .zero(Reg.RAX).ret(), "array element cannot hold this value");
    }

    @Test
    void constantIndexAgainstAKnownLength() {
        TestProgram ok = new TestProgram().label("main", MAIN).lea(Reg.RBX, "tbl").load(Reg.RAX, Reg.RBX, 8 + 16).ret()
                .wordsData("tbl", 1, 2, 3);
        accepts(ok);
        rejects(new TestProgram().label("main", MAIN).lea(Reg.RBX, "tbl").load(Reg.RAX, Reg.RBX, 8 + 24).ret()
                .wordsData("tbl", 1, 2, 3), "index 3 not proven < length of rbx");
        // and with a mask: rcx & 7 < 8 = len
        accepts(new TestProgram().label("main", "{rdi: [bytes] | " + RET_INT + "}").load(Reg.RCX, Reg.RDI, 0).andImm(Reg.RCX, 7)
                .lea(Reg.RBX, "tbl").load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret().wordsData("tbl", 0, 1, 2, 3, 4, 5, 6, 7));
        rejects(new TestProgram().label("main", "{rdi: [bytes] | " + RET_INT + "}").load(Reg.RCX, Reg.RDI, 0).andImm(Reg.RCX, 8)
                .lea(Reg.RBX, "tbl").load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret().wordsData("tbl", 0, 1, 2, 3, 4, 5, 6, 7),
                "index rcx not proven < length of rbx");
    }

    @Test
    void byteArrays() {
        String pre = "{rsi: bytes, rcx: int | " + RET_INT + "}";
        accepts(with("b", pre).cmpMem(Reg.RCX, Reg.RSI, 0).jcc(Cond.AE, "out").loadByte(Reg.RAX, Reg.RSI, Reg.RCX, 8)
                .storeByte(Reg.RSI, Reg.RCX, 8, Reg.RAX).ret().label("out", "{| " + RET_INT + "}").zero(Reg.RAX).ret());
        rejects(with("b", pre).loadByte(Reg.RAX, Reg.RSI, Reg.RCX, 8).ret(), "index rcx not proven < length of rsi");
        rejects(with("b", pre).cmpMem(Reg.RCX, Reg.RSI, 0).jcc(Cond.AE, "out").load(Reg.RAX, Reg.RSI, Reg.RCX, 1, 8).ret()
                .label("out", "{| " + RET_INT + "}").zero(Reg.RAX).ret(), "the bytes of rsi are accessed one byte at a time");
        accepts(new TestProgram().label("main", MAIN).lea(Reg.RSI, "msg").loadByte(Reg.RAX, Reg.RSI, null, 8 + 4).ret()
                .bytesData("msg", "hello".getBytes()));
        rejects(new TestProgram().label("main", MAIN).lea(Reg.RSI, "msg").loadByte(Reg.RAX, Reg.RSI, null, 8 + 5).ret()
                .bytesData("msg", "hello".getBytes()), "index 5 not proven < length of rsi");
        // the pointer may be the index of the memory operand: [rcx + rsi + 8] is the same address
        accepts(with("b", pre).cmpMem(Reg.RCX, Reg.RSI, 0).jcc(Cond.AE, "out").loadByte(Reg.RAX, Reg.RCX, Reg.RSI, 8).ret()
                .label("out", "{| " + RET_INT + "}").zero(Reg.RAX).ret());
    }

    @Test
    void dataWordsAndWhatElseRipCanReach() {
        accepts(new TestProgram().label("main", MAIN).loadWord(Reg.RAX, "n").inc(Reg.RAX).storeWord("n", Reg.RAX).ret()
                .wordData("n", 7));
        rejects(new TestProgram().label("main", MAIN).loadWord(Reg.RAX, "msg").ret().bytesData("msg", "hi".getBytes()),
                "memory reference to data label msg");
        rejects(new TestProgram().label("main", MAIN).rip(0x8B, Reg.RAX, TestProgram.RW).ret(), "memory reference to the limit word");
        TestProgram slot = new TestProgram(Service.EXIT).label("main", MAIN).zero(Reg.RAX);
        slot.rip(0x89, Reg.RAX, slot.slot(Service.EXIT)).ret();
        rejects(slot, "memory reference to the import slot of exit");
        rejects(new TestProgram().label("main", MAIN).rip(0x8B, Reg.RAX, 8).ret(), "memory reference to code label main");
        rejects(new TestProgram().label("main", MAIN).rip(0x8D, Reg.RAX, TestProgram.RW).ret(), "lea of the limit word");
    }

    @Test
    void comparisons() {
        rejects(new TestProgram().label("main", ARGV).zero(Reg.RAX).cmp(Reg.RDI, Reg.RAX).movImm(Reg.RAX, 1).cmp(Reg.RDI, Reg.RAX).ret(),
                "cmp needs two ints, or a pointer and 0");
        rejects(new TestProgram().label("main", ARGV).zero(Reg.RAX).test(Reg.RDI, Reg.RAX).ret(), "test operand is not an int");
    }

    @Test
    void sumsAreNarrowedByTheirTag() {
        TestProgram ok = with("area", "{rbx: shape | " + RET_INT + "}").type("shape", "{=0, int} + {=1, int, int}")
                .load(Reg.RAX, Reg.RBX, 0).cmpImm(Reg.RAX, 0).jcc(Cond.NE, "two").load(Reg.RAX, Reg.RBX, 8).ret()
                .label("two", "{rbx: {=1, int, int} | " + RET_INT + "}").load(Reg.RAX, Reg.RBX, 16).ret();
        accepts(ok);
        rejects(with("area", "{rbx: shape | " + RET_INT + "}").type("shape", "{=0, int} + {=1, int, int}")
                .load(Reg.RAX, Reg.RBX, 8).ret(), "sum rbx: only its tag [rbx] can be accessed");
        rejects(with("area", "{rbx: shape | " + RET_INT + "}").type("shape", "{=0, int} + {=1, int, int}")
                .load(Reg.RAX, Reg.RBX, 0).cmpImm(Reg.RAX, 1).jcc(Cond.NE, "two").load(Reg.RAX, Reg.RBX, 8).ret()
                .label("two", "{rbx: {=1, int, int} | " + RET_INT + "}").load(Reg.RAX, Reg.RBX, 16).ret(),
                "branch to two: rbx has the wrong type");
    }

    @Test
    void conditionalMoves() {
        String pre = "{rbx: bytes, rsi: bytes, rdi: [int] | " + RET_INT + "}";
        accepts(with("c", pre).zero(Reg.RAX).cmpImm(Reg.RAX, 0).emit(0x48, 0x0F, 0x44, 0xDE)   // cmove rbx, rsi
                .load(Reg.RAX, Reg.RBX, 0).ret());
        rejects(with("c", pre).zero(Reg.RAX).cmpImm(Reg.RAX, 0).emit(0x48, 0x0F, 0x44, 0xDF)   // cmove rbx, rdi
                .load(Reg.RAX, Reg.RBX, 0).ret(), "cmov needs two ints or two values of the same type");
    }

    @Test
    void zeroExtendedBytesBoundATableIndex() {
        long[] table = new long[256];
        accepts(new TestProgram().label("main", MAIN).lea(Reg.RSI, "msg").loadByte(Reg.RCX, Reg.RSI, null, 8)
                .lea(Reg.RBX, "tbl").load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret()
                .bytesData("msg", "x".getBytes()).wordsData("tbl", table));
        rejects(new TestProgram().label("main", MAIN).lea(Reg.RSI, "msg").loadByte(Reg.RCX, Reg.RSI, null, 8)
                .lea(Reg.RBX, "tbl").load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret()
                .bytesData("msg", "x".getBytes()).wordsData("tbl", new long[255]), "index rcx not proven < length of rbx");
    }
}
