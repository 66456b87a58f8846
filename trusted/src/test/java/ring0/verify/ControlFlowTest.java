package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.verify.Expect.MAIN;
import static ring0.verify.Expect.accepts;
import static ring0.verify.Expect.rejects;

import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Reg;

/** One accepted and one rejected program per control-flow rule: calls, kernel calls, division, the stack, coercions. */
class ControlFlowTest {
    static final String RET_INT = "code{rax: int | s} :: s";
    static final String F = "{rdi: int, rbx: b | code{rax: int, rbx: b | s} :: s}";

    /** main keeps 42 in rbx across a call of f, which must preserve it. */
    static TestProgram callerSaves(boolean calleeClobbers) {
        TestProgram p = new TestProgram().label("main", MAIN).push(Reg.RBX).movImm(Reg.RBX, 42).movImm(Reg.RDI, 5).call("f")
                .label("back", "{rax: int, rbx: =42 | junk :: " + RET_INT + "}").pop(Reg.RCX).ret()
                .label("f", F).mov(Reg.RAX, Reg.RDI);
        if (calleeClobbers) p.mov(Reg.RBX, Reg.RDI);
        return p.ret();
    }

    @Test
    void calleeSavedRegistersArePreservedThroughTypeVariables() {
        accepts(callerSaves(false));
        Rejection r = rejects(callerSaves(true), "return: rbx has the wrong type");
        assertThat(r.expected()).isEqualTo("b");
        assertThat(r.found()).isEqualTo("int");
    }

    @Test
    void callsNeedAnAlignedStack() {
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RBX, 42).movImm(Reg.RDI, 5).call("f").ret().label("f", F)
                .mov(Reg.RAX, Reg.RDI).ret(), "call to f: misaligned stack");
    }

    @Test
    void calleeMustDeclareAReturnAddress() {
        rejects(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 8).call("f").addImm(Reg.RSP, 8).ret()
                .label("f", "{| junk :: s}").emit(0xEB, 0xFE), "call to f: the callee's stack does not start with a return address");
    }

    @Test
    void indirectCallsAndJumps() {
        accepts(new TestProgram().label("main", MAIN).push(Reg.RBX).lea(Reg.RAX, "f").movImm(Reg.RDI, 1).movImm(Reg.RBX, 0)
                .callReg(Reg.RAX).pop(Reg.RCX).ret().label("f", F).mov(Reg.RAX, Reg.RDI).ret());
        rejects(new TestProgram().label("main", MAIN).push(Reg.RBX).movImm(Reg.RAX, 0x401000).callReg(Reg.RAX).pop(Reg.RCX).ret(),
                "indirect call: the target is not code");
        // a tail call through a register: jump to f with our own return address on top
        accepts(new TestProgram().label("main", MAIN).lea(Reg.RAX, "g").jmpReg(Reg.RAX)
                .label("g", MAIN).zero(Reg.RAX).ret());
        rejects(new TestProgram().label("main", MAIN).lea(Reg.RAX, "g").jmpReg(Reg.RAX)
                .label("g", "{rcx: int | " + RET_INT + "}").zero(Reg.RAX).ret(), "indirect jump: rcx has no value");
    }

    @Test
    void branchTargetsAreLabels() {
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).emit(0xEB, 0x00).ret(), "branch target is not a label");
        TestProgram stop = new TestProgram().label("main", MAIN).zero(Reg.RAX).cmpImm(Reg.RAX, 0);
        stop.emit(0x0F, 0x84).imm32(-(stop.pos() + 4)).ret();
        rejects(stop, "branch to the stop block: only the poll may branch there");
    }

    @Test
    void preconditionFactsMustBeProven() {
        String get = "{rbx: [int], rcx: int | " + RET_INT + "; rcx < len(rbx)}";
        String use = "{rbx: [int], rcx: int | " + RET_INT + "}";
        accepts(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("use", use).cmpMem(Reg.RCX, Reg.RBX, 0)
                .jcc(Cond.B, "get").zero(Reg.RAX).ret().label("get", get).load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret());
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("use", use).cmpMem(Reg.RCX, Reg.RBX, 0)
                .jcc(Cond.BE, "get").zero(Reg.RAX).ret().label("get", get).load(Reg.RAX, Reg.RBX, Reg.RCX, 8, 8).ret(),
                "branch to get: fact not proven: rcx < len(rbx)");
    }

    @Test
    void kernelWrite() {
        TestProgram ok = new TestProgram(Service.WRITE).label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RDI, 1).lea(Reg.RSI, "msg")
                .movImm(Reg.RDX, 5).callSlot(Service.WRITE).zero(Reg.RAX).addImm(Reg.RSP, 8).ret().bytesData("msg", "hello".getBytes());
        accepts(ok);
        rejects(new TestProgram(Service.WRITE).label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RDI, 1).lea(Reg.RSI, "msg")
                .movImm(Reg.RDX, 6).callSlot(Service.WRITE).zero(Reg.RAX).addImm(Reg.RSP, 8).ret().bytesData("msg", "hello".getBytes()),
                "call to write: fact not proven: rdx <= len(rsi)");
        rejects(new TestProgram(Service.WRITE).label("main", MAIN).movImm(Reg.RDI, 1).lea(Reg.RSI, "msg")
                .movImm(Reg.RDX, 5).callSlot(Service.WRITE).ret().bytesData("msg", "hello".getBytes()),
                "call to write: misaligned stack");
        // the result is an int and the caller-saved registers are junk afterwards
        rejects(new TestProgram(Service.WRITE).label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RDI, 1).lea(Reg.RSI, "msg")
                .movImm(Reg.RDX, 5).callSlot(Service.WRITE).mov(Reg.RAX, Reg.RSI).addImm(Reg.RSP, 8).ret()
                .bytesData("msg", "hello".getBytes()), "rsi has no value (junk)");
    }

    @Test
    void kernelExitDoesNotReturn() {
        accepts(new TestProgram(Service.EXIT).label("main", MAIN).zero(Reg.RDI).subImm(Reg.RSP, 8).callSlot(Service.EXIT));
        rejects(new TestProgram(Service.EXIT).label("main", MAIN).zero(Reg.RDI).subImm(Reg.RSP, 8).callSlot(Service.EXIT).ret(),
                "unreachable code");
    }

    @Test
    void onlyTheStopBlockCallsStop() {
        rejects(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 8).callSlot(TestProgram.STOP).ret(),
                "call to stop: only the stop block may call it");
        TestProgram code = new TestProgram().label("main", MAIN).subImm(Reg.RSP, 8).emit(0xFF, 0x15);
        code.imm32(8 - (code.pos() + 4)).ret();
        rejects(code, "indirect call through code label main, which is not an import slot");
    }

    static TestProgram alloc(String coercion, int size, boolean initBoth) {
        TestProgram p = new TestProgram(Service.ALLOC).label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RDI, size);
        if (coercion != null) p.coerce(coercion);
        p.callSlot(Service.ALLOC).test(Reg.RAX, Reg.RAX).jcc(Cond.E, "fail").storeImm(Reg.RAX, 0, 1);
        if (initBoth) p.storeImm(Reg.RAX, 8, 2);
        return p.load(Reg.RCX, Reg.RAX, 8).mov(Reg.RAX, Reg.RCX).addImm(Reg.RSP, 8).ret()
                .label("fail", "{| junk :: " + RET_INT + "}").zero(Reg.RAX).addImm(Reg.RSP, 8).ret();
    }

    @Test
    void allocation() {
        accepts(alloc("alloc {int, int}", 16, true));
        rejects(alloc("alloc {int, int}", 16, false), "field 1 is not initialized");
        rejects(alloc(null, 16, true), "call to alloc needs an alloc coercion");
        rejects(alloc("alloc {int, int}", 24, true), "call to alloc: rdi must be the size of the record");
        rejects(new TestProgram(Service.ALLOC).label("main", MAIN).coerce("alloc {int}").zero(Reg.RAX).ret(),
                "alloc coercion is not on a call [rel alloc]");
    }

    @Test
    void unsignedDivision() {
        accepts(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 100).movImm(Reg.RCX, 7).zero(Reg.RDX).div(Reg.RCX).ret());
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 100).movImm(Reg.RCX, 0).zero(Reg.RDX).div(Reg.RCX).ret(),
                "divisor not proven != 0");
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, 100).movImm(Reg.RCX, 7).movImm(Reg.RDX, 1).div(Reg.RCX).ret(),
                "div needs rdx = 0");
        String pre = "{rcx: int | " + RET_INT + "}";
        TestProgram tested = new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("d", pre).test(Reg.RCX, Reg.RCX)
                .jcc(Cond.E, "z").movImm(Reg.RAX, 100).zero(Reg.RDX).div(Reg.RCX).ret().label("z", MAIN).zero(Reg.RAX).ret();
        accepts(tested);
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("d", pre).movImm(Reg.RAX, 100).zero(Reg.RDX)
                .div(Reg.RCX).ret(), "divisor not proven != 0");
    }

    @Test
    void signedDivision() {
        accepts(new TestProgram().label("main", MAIN).movImm(Reg.RAX, -100).cqo().movImm(Reg.RCX, 7).idiv(Reg.RCX).ret());
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, -100).zero(Reg.RDX).movImm(Reg.RCX, 7).idiv(Reg.RCX).ret(),
                "idiv needs rdx set by cqo from the current rax");
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, -100).cqo().movImm(Reg.RAX, 5).movImm(Reg.RCX, 7)
                .idiv(Reg.RCX).ret(), "idiv needs rdx set by cqo");
        rejects(new TestProgram().label("main", MAIN).movImm(Reg.RAX, -100).cqo().movImm(Reg.RCX, -1).idiv(Reg.RCX).ret(),
                "divisor not proven != 0 and != -1");
        // a divisor proven positive is fine
        accepts(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("d", "{rcx: int | " + RET_INT + "}")
                .cmpImm(Reg.RCX, 0).jcc(Cond.LE, "z").movImm(Reg.RAX, 100).cqo().idiv(Reg.RCX).ret().label("z", MAIN).zero(Reg.RAX).ret());
    }

    @Test
    void stackBudget() {
        accepts(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 32768).addImm(Reg.RSP, 32768).zero(Reg.RAX).ret());
        rejects(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 32776).addImm(Reg.RSP, 32776).zero(Reg.RAX).ret(),
                "stack budget exceeded");
        rejects(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 0x7FFF_FFF8).zero(Reg.RAX).ret(), "stack budget exceeded");
        rejects(new TestProgram().label("main", MAIN).addImm(Reg.RSP, 16).zero(Reg.RAX).ret(), "add rsp drops 2 slots, but only 1");
        rejects(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 4).zero(Reg.RAX).ret(), "rsp can only be adjusted by a non-negative multiple of 8");
        // the budget is per region: every label polls again
        TestProgram chain = new TestProgram().label("main", MAIN).subImm(Reg.RSP, 32768)
                .label("next", "{| " + "junk :: ".repeat(4096) + RET_INT + "}").subImm(Reg.RSP, 32768).addImm(Reg.RSP, 65536)
                .zero(Reg.RAX).ret();
        accepts(chain);
    }

    @Test
    void returnNeedsAReturnAddress() {
        rejects(new TestProgram().label("main", MAIN).pushImm(0).ret(), "ret: the top slot is not a return address");
        rejects(new TestProgram().label("main", "{| s}").ret().label("x", MAIN).zero(Reg.RAX).ret(), "ret: no return address on the stack");
    }

    @Test
    void subsumption() {
        String pre = "{rbx: {int, int} | " + RET_INT + "}";
        accepts(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("a", pre).coerce("as rbx : {int, ~int}")
                .load(Reg.RAX, Reg.RBX, 0).ret());
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("a", pre).coerce("as rbx : {int, ~int}")
                .load(Reg.RAX, Reg.RBX, 8).ret(), "field 1 is not initialized");
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("a", pre).coerce("as rbx : {int, bytes}")
                .load(Reg.RAX, Reg.RBX, 0).ret(), "as: rbx is not a subtype");
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().label("a", pre).coerce("unpack rbx")
                .load(Reg.RAX, Reg.RBX, 0).ret(), "unpack: rbx is not a package");
    }

    /** Builds a closure {code, env=5}, packs it, unpacks it and calls it. */
    static TestProgram closure(String packAs) {
        return new TestProgram(Service.ALLOC).type("clos", "exists e. {code{rdi: e | code{rax: int | t} :: t}, e}")
                .label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RDI, 16)
                .coerce("alloc {code{rdi: int | code{rax: int | t} :: t}, int}").callSlot(Service.ALLOC)
                .test(Reg.RAX, Reg.RAX).jcc(Cond.E, "fail")
                .lea(Reg.RCX, "fn").store(Reg.RAX, 0, Reg.RCX).storeImm(Reg.RAX, 8, 5)
                .coerce(packAs).mov(Reg.RBX, Reg.RAX)
                .coerce("unpack rbx").load(Reg.RDI, Reg.RBX, 8).load(Reg.RCX, Reg.RBX, 0).callReg(Reg.RCX)
                .addImm(Reg.RSP, 8).ret()
                .label("fail", "{| junk :: " + RET_INT + "}").zero(Reg.RAX).addImm(Reg.RSP, 8).ret()
                .label("fn", "{rdi: int | code{rax: int | t} :: t}").mov(Reg.RAX, Reg.RDI).ret();
    }

    @Test
    void closuresPackAndUnpack() {
        accepts(closure("pack rax as clos"));
        rejects(closure("pack rax as exists e. {code{rdi: e | code{rax: int | t} :: t}, bytes}"),
                "pack: rax does not have the hidden type");
    }

    @Test
    void unpackedTypesDoNotMix() {
        // two unpackings of the same package give different variables: the code of one cannot take the other's environment
        String pre = "{rbx: clos, rsi: clos | junk :: " + RET_INT + "}";
        TestProgram mixed = new TestProgram().type("clos", "exists e. {code{rdi: e | code{rax: int | t} :: t}, e}")
                .label("main", MAIN).zero(Reg.RAX).ret().label("m", pre)
                .coerce("unpack rbx").mov(Reg.RCX, Reg.RBX).nop()
                .coerce("unpack rsi").load(Reg.RDI, Reg.RSI, 8).load(Reg.RCX, Reg.RBX, 0).callReg(Reg.RCX).addImm(Reg.RSP, 8).ret();
        rejects(mixed, "indirect call: rdi has the wrong type");
    }

    @Test
    void coercionPlacement() {
        rejects(new TestProgram().label("main", MAIN).zero(Reg.RAX).ret().rawLabel("x", "{rax: int | " + RET_INT + "}")
                .coerce("as rax : int").poll().ret(), "coercion on the poll");
        TestProgram mid = new TestProgram().label("main", "{rax: int | " + RET_INT + "}").movImm(Reg.RCX, 0);
        mid.emit(0x48, 0xC7, 0xC0, 0, 0).coerce("as rax : int").emit(0, 0).ret();   // inside mov rax, 0
        Rejection r = rejects(mid, "coercion at offset 0x");
        assertThat(r.imageOffset()).isEqualTo(-1);
    }

    @Test
    void recursionPollsEveryTime() {
        // count down: f(n) = n == 0 ? 0 : f(n - 1)
        String f = "{rdi: int | " + RET_INT + "}";
        accepts(new TestProgram().label("main", MAIN).subImm(Reg.RSP, 8).movImm(Reg.RDI, 10).call("f").addImm(Reg.RSP, 8).ret()
                .label("f", f).test(Reg.RDI, Reg.RDI).jcc(Cond.E, "base").subImm(Reg.RSP, 8).emit(0x48, 0xFF, 0xCF)  // dec rdi
                .call("f").addImm(Reg.RSP, 8).ret().label("base", "{| " + RET_INT + "}").zero(Reg.RAX).ret());
    }
}
