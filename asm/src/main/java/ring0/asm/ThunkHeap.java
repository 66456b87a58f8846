package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.isa.Insn.AluOp.ADD;
import static ring0.isa.Insn.AluOp.AND;
import static ring0.isa.Insn.AluOp.CMP;
import static ring0.isa.Insn.AluOp.SUB;
import static ring0.isa.Reg.R10;
import static ring0.isa.Reg.R8;
import static ring0.isa.Reg.R9;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RBP;
import static ring0.isa.Reg.RBX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RDX;
import static ring0.isa.Reg.RSI;

import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Width;

/**
 * The Linux heap behind {@code alloc}, {@code newbytes} and {@code newwords}
 * on both gates: a bump allocator over chunks of {@value #CHUNK} bytes mapped
 * from Linux, so that small records and arrays cost a few instructions rather
 * than a system call and a page each. Nothing is ever freed or reused, so
 * every block is zero (fresh anonymous memory) when it is handed out.
 *
 * <p>The allocator's state is two words, {@code next} and {@code end} of the
 * current chunk, which the entry stub places right after the argument region
 * (both zero at first, so the first allocation maps a chunk) and whose address
 * it stores in the image's reserved word. Typed programs cannot reach either:
 * the checker allows no access to the reserved word, and the state lies
 * outside every argument byte array.
 *
 * <p>Requests of {@value #DIRECT} bytes or more get a mapping of their own.
 * Sizes are rounded up to a multiple of 8, so every block is 8-byte aligned;
 * a request for 0 bytes gets 8. On the int80 gate every mapping lies below
 * 4 GiB, and requests that cannot fit there fail.
 */
final class ThunkHeap {
    private ThunkHeap() {}

    /** Name (in the stub assembler) of the reserved word, which holds the address of the state. */
    static final String STATE_POINTER = "reserved";
    /** Bytes of allocator state: {@code next} and {@code end}. */
    static final int STATE_SIZE = 16;
    /** Size of the chunks small blocks are carved from. */
    static final int CHUNK = 4 << 20;
    /** Requests at least this large are mapped on their own. */
    static final int DIRECT = 256 << 10;
    /** The largest element count (or byte count for {@code alloc}) a service accepts; above it, null. */
    static final long MAX_COUNT = 1L << 40;
    private static final long FOUR_GIB = 1L << 32;
    private static final int SYS_MMAP = 9, I386_MMAP2 = 192;
    private static final int PROT_READ_WRITE = 3, MAP_PRIVATE_ANONYMOUS = 0x22;

    /** True for the services implemented here. */
    static boolean uses(Service s) {
        return s == Service.ALLOC || s == Service.NEWBYTES || s == Service.NEWWORDS;
    }

    /** Name of the allocator routine of a gate. */
    static String allocatorName(boolean int80) {
        return int80 ? "heap.int80" : "heap.syscall";
    }

    /**
     * The body of the thunk for {@code s} (one of {@link #uses}), whose label
     * {@code n} is already placed: checks the count against {@link #MAX_COUNT}
     * (unsigned, so negative counts fail too), asks the gate's allocator for
     * the bytes and, for arrays, stores the length word. Null (0) on failure.
     */
    static void service(StubAssembler a, String n, Service s, boolean int80) {
        String heap = allocatorName(int80);
        a.movq(RAX, MAX_COUNT);
        a.alu(CMP, RDI, RAX);
        a.jcc(Cond.A, n + ".null");
        if (s == Service.ALLOC) {
            a.jmp(heap);
        } else {
            a.push(RDI);
            a.lea(RDI, s == Service.NEWBYTES ? at(RDI, 8) : new Mem(null, RDI, 8, 8, false));
            a.call(heap);
            a.pop(RDI);
            a.test(Width.QWORD, RAX, RAX);
            a.jcc(Cond.E, n + ".out");
            a.mov(at(RAX, 0), RDI);   // the length word
            a.label(n + ".out");
            a.ret();
        }
        a.label(n + ".null");
        a.zero(RAX);
        a.ret();
    }

    /**
     * The allocator of a gate: rdi = a byte count of at most 2^43 + 8; returns
     * in rax a fresh zeroed 8-aligned block of at least that many bytes, or 0.
     * Clobbers only what a kernel call may clobber.
     */
    static void allocator(StubAssembler a, boolean int80) {
        String h = allocatorName(int80);
        a.symbol(h);
        a.alu(ADD, RDI, 7);
        a.alu(AND, RDI, -8);
        a.jcc(Cond.NE, h + ".sized");
        a.mov32(RDI, 8);
        a.label(h + ".sized");
        a.rip(STATE_POINTER, m -> new Insn.Mov(Width.QWORD, RSI, m));
        a.mov(RAX, at(RSI, 0));        // next
        a.mov(RCX, at(RSI, 8));        // end
        a.alu(SUB, RCX, RAX);
        a.alu(CMP, RDI, RCX);
        a.jcc(Cond.A, h + ".refill");
        a.alu(ADD, at(RSI, 0), RDI);
        a.ret();

        a.label(h + ".refill");        // a new chunk, unless the block gets its own mapping
        a.alu(CMP, RDI, DIRECT);
        a.jcc(Cond.AE, h + ".direct");
        a.push(RDI);
        a.mov32(int80 ? RCX : RSI, CHUNK);
        a.call(h + ".map");
        a.pop(RDI);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.E, h + ".done");
        a.rip(STATE_POINTER, m -> new Insn.Mov(Width.QWORD, RSI, m));
        a.lea(RCX, at(RAX, RDI, 1, 0));
        a.mov(at(RSI, 0), RCX);
        a.lea(RCX, at(RAX, CHUNK));
        a.mov(at(RSI, 8), RCX);
        a.label(h + ".done");
        a.ret();

        a.label(h + ".direct");
        if (int80) {
            a.movq(RAX, FOUR_GIB - 4096);
            a.alu(CMP, RDI, RAX);
            a.jcc(Cond.A, h + ".fail");
            a.mov(Width.DWORD, RCX, RDI);
        } else {
            a.mov(RSI, RDI);
        }
        // falls into .map, which returns to the allocator's caller
        a.label(h + ".map");
        if (int80) mapInt80(a, h); else mapSyscall(a, h);
        a.label(h + ".fail");
        a.zero(RAX);
        a.ret();
    }

    /** mmap(0, rsi, read+write, private+anonymous, -1, 0); rax = the address, or 0 on failure. */
    private static void mapSyscall(StubAssembler a, String h) {
        a.zero(RDI);
        a.mov32(RDX, PROT_READ_WRITE);
        a.mov32(R10, MAP_PRIVATE_ANONYMOUS);
        a.movq(R8, -1);
        a.zero(R9);
        a.mov32(RAX, SYS_MMAP);
        a.raw(StubAssembler.SYSCALL);
        a.alu(CMP, RAX, -4095);
        a.jcc(Cond.AE, h + ".fail");
        a.ret();
    }

    /**
     * mmap2(0, ecx, read+write, private+anonymous, -1, 0) through int 0x80;
     * the address (below 4 GiB, often with bit 31 set) is zero-extended into rax, or 0 on failure.
     */
    private static void mapInt80(StubAssembler a, String h) {
        a.push(RBX);
        a.push(RBP);
        a.zero(RBX);
        a.mov32(RDX, PROT_READ_WRITE);
        a.mov32(RSI, MAP_PRIVATE_ANONYMOUS);
        a.mov32(RDI, -1);
        a.zero(RBP);
        a.mov32(RAX, I386_MMAP2);
        a.raw(StubAssembler.INT80);
        a.pop(RBP);
        a.pop(RBX);
        a.alu(CMP, Width.DWORD, RAX, new Imm(-4095));
        a.jcc(Cond.AE, h + ".fail");
        a.mov(Width.DWORD, RAX, RAX);
        a.ret();
    }
}
