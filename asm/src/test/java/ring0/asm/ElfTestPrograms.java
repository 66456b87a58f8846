package ring0.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Insn;
import ring0.isa.Reg;
import ring0.isa.Width;

/** Hand-built {@link Program}s for the ELF tests, assembled without the ring0 front end. */
final class ElfTestPrograms {
    private ElfTestPrograms() {}

    static final String HELLO = "hello, world\n";

    /** {@code main} writes {@link #HELLO} to stdout and returns 0; one data label {@code msg}. */
    static Program hello() {
        List<Service> imports = List.of(Service.WRITE);
        int rwOffset = 4096;
        int dataOffset = Program.dataOffsetFor(rwOffset, imports.size());
        byte[] msg = byteArray(HELLO.getBytes(StandardCharsets.US_ASCII));
        StubAssembler a = new StubAssembler(ElfWriter.IMAGE_ADDRESS);
        a.define("slot.write", ElfWriter.IMAGE_ADDRESS + Program.slotOffset(rwOffset, 0));
        a.define("msg", ElfWriter.IMAGE_ADDRESS + dataOffset);
        a.symbol("main");
        a.alu(Insn.AluOp.SUB, Reg.RSP, 8);
        a.mov32(Reg.RDI, 1);
        a.rip("msg", m -> new Insn.Lea(Width.QWORD, Reg.RSI, m));
        a.mov32(Reg.RDX, HELLO.length());
        a.rip("slot.write", Insn.CallInd::new);
        a.symbol("main.done");
        a.zero(Reg.RAX);
        a.alu(Insn.AluOp.ADD, Reg.RSP, 8);
        a.ret();
        StubAssembler.Result r = a.finish();
        List<Program.Symbol> syms = new ArrayList<>();
        for (StubAssembler.Sym s : r.symbols()) syms.add(new Program.Symbol(s.name(), Program.Section.TEXT, s.offset(), s.size()));
        syms.add(new Program.Symbol("msg", Program.Section.DATA, dataOffset, msg.length));
        return new Program("hello.tal", r.code(), rwOffset, imports, dataOffset, msg, syms, 0, List.of());
    }

    /**
     * {@code main} checks what the stub put in the control words and exits
     * with 0 if all is as documented, else with the number of the first check
     * that failed: 1 the limit word is not {@link LinuxStub#STACK_SIZE} -
     * {@link LinuxStub#LIMIT_ABOVE_BOTTOM} below the top of the stack (rsp + 8
     * at the entry label); 2 the reserved word is 0; 3 the heap state it
     * points to is not zero; 4 it does not lie above the argument array.
     */
    static Program controlWords() {
        int rwOffset = 4096;
        StubAssembler a = new StubAssembler(ElfWriter.IMAGE_ADDRESS);
        a.define("limit", ElfWriter.IMAGE_ADDRESS + rwOffset);
        a.define("reserved", ElfWriter.IMAGE_ADDRESS + rwOffset + 8);
        a.symbol("main");
        a.mov32(Reg.RAX, 1);
        a.lea(Reg.RCX, StubAssembler.at(Reg.RSP, 8 - LinuxStub.STACK_SIZE + LinuxStub.LIMIT_ABOVE_BOTTOM));
        a.rip("limit", m -> new Insn.Alu(Insn.AluOp.CMP, Width.QWORD, Reg.RCX, m));
        a.jcc(Cond.NE, "main.out");
        a.mov32(Reg.RAX, 2);
        a.rip("reserved", m -> new Insn.Mov(Width.QWORD, Reg.RCX, m));
        a.test(Width.QWORD, Reg.RCX, Reg.RCX);
        a.jcc(Cond.E, "main.out");
        a.mov32(Reg.RAX, 3);
        a.mov(Reg.RDX, StubAssembler.at(Reg.RCX, 0));
        a.alu(Insn.AluOp.OR, Reg.RDX, StubAssembler.at(Reg.RCX, 8));
        a.jcc(Cond.NE, "main.out");
        a.mov32(Reg.RAX, 4);
        a.alu(Insn.AluOp.CMP, Reg.RCX, Reg.RDI);
        a.jcc(Cond.BE, "main.out");
        a.zero(Reg.RAX);
        a.label("main.out");
        a.ret();
        StubAssembler.Result r = a.finish();
        return new Program("control.tal", r.code(), rwOffset, List.of(), Program.dataOffsetFor(rwOffset, 0), new byte[0],
                List.of(new Program.Symbol("main", Program.Section.TEXT, 0, r.code().length)), 0, List.of());
    }

    /**
     * A random program with a valid layout: random text and data bytes, a random
     * subset of the services in random order, random labels. It is not meant to run.
     */
    static Program random(Random rnd) {
        byte[] text = new byte[rnd.nextInt(1, rnd.nextBoolean() ? 64 : 20_000)];
        rnd.nextBytes(text);
        int rwOffset = (text.length + 4095) / 4096 * 4096 + 4096 * rnd.nextInt(2);
        List<Service> imports = new ArrayList<>(List.of(Service.values()));
        Collections.shuffle(imports, rnd);
        imports = imports.subList(0, rnd.nextInt(imports.size() + 1));
        int dataOffset = Program.dataOffsetFor(rwOffset, imports.size());
        byte[] data = new byte[rnd.nextInt(0, rnd.nextBoolean() ? 32 : 9000)];
        rnd.nextBytes(data);
        List<Program.Symbol> syms = new ArrayList<>();
        for (int i = rnd.nextInt(1, 40); i > 0; i--) {
            boolean code = data.length == 0 || rnd.nextBoolean();
            int size = code ? text.length : data.length;
            int off = rnd.nextInt(size + 1);
            syms.add(new Program.Symbol((code ? "f" : "d") + i + (rnd.nextBoolean() ? ".loop" : ""),
                    code ? Program.Section.TEXT : Program.Section.DATA,
                    (code ? 0 : dataOffset) + off, rnd.nextInt(size - off + 1)));
        }
        return new Program("dir/random " + rnd.nextInt(100) + ".tal", text, rwOffset, imports, dataOffset, data,
                syms, rnd.nextInt(text.length), List.of());
    }

    /** A byte array value: 64-bit length word, then the bytes. */
    static byte[] byteArray(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(bytes.length).put(bytes);
        return b.array();
    }
}
