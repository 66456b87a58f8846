package ring0.kernel.load;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import ring0.isa.Reg;

/**
 * TRUSTED. A tiny x86-64 emitter for the kernel's own stubs: the few
 * instruction forms the enter stub and the trampolines need, encoded by hand
 * (the kernel must not depend on the untrusted assembler).
 *
 * <p>Code is emitted for a fixed address ({@code origin}); RIP-relative
 * operands and branches take absolute target addresses. Every instruction
 * records its text in the syntax {@code objdump -M intel} prints, and a
 * comment saying why it is there; {@link #listing()} returns both, and a test
 * checks the text against objdump's disassembly of the bytes.
 */
final class Emitter {
    /**
     * One emitted instruction.
     *
     * @param offset  offset from the origin
     * @param length  its length in bytes
     * @param text    the instruction as {@code objdump -M intel} prints it (modulo spacing)
     * @param comment why it is there
     */
    record Line(int offset, int length, String text, String comment) {}

    private final long origin;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Line> lines = new ArrayList<>();
    private int start = -1;

    /** An emitter for code that will live at address {@code origin}. */
    Emitter(long origin) { this.origin = origin; }

    /** Offset of the next instruction. */
    int here() { return code.size(); }

    /** Address of the next instruction. */
    long pc() { return origin + code.size(); }

    /** The bytes emitted so far. */
    byte[] bytes() { return code.toByteArray(); }

    /** The instructions emitted so far, in order. */
    List<Line> listing() { return List.copyOf(lines); }

    /** Pads with {@code int3} (0xCC) up to a multiple of {@code n} bytes; padding is not listed. */
    void align(int n) {
        while (code.size() % n != 0) code.write(0xcc);
    }

    // ---- instructions ---------------------------------------------------------------------

    /** {@code push r64}: [REX.B] 50+r. */
    void push(Reg r, String why) {
        begin();
        rex(false, null, r);
        code.write(0x50 + (r.code() & 7));
        end("push " + q(r), why);
    }

    /** {@code pop r64}: [REX.B] 58+r. */
    void pop(Reg r, String why) {
        begin();
        rex(false, null, r);
        code.write(0x58 + (r.code() & 7));
        end("pop " + q(r), why);
    }

    /** {@code mov r64, [rip+d]}: REX.W 8B /r. */
    void load(Reg dst, long addr, String why) {
        begin();
        rex(true, dst, null);
        code.write(0x8b);
        long d = ripOperand(dst, addr);
        end("mov " + q(dst) + ",qword ptr " + rip(d), why);
    }

    /** {@code mov [rip+d], r64}: REX.W 89 /r. */
    void store(long addr, Reg src, String why) {
        begin();
        rex(true, src, null);
        code.write(0x89);
        long d = ripOperand(src, addr);
        end("mov qword ptr " + rip(d) + "," + q(src), why);
    }

    /** {@code mov r64, r64}: REX.W 89 /r with mod 11 (the form GNU as picks). */
    void move(Reg dst, Reg src, String why) {
        begin();
        rex(true, src, dst);
        code.write(0x89);
        code.write(0xc0 | (src.code() & 7) << 3 | (dst.code() & 7));
        end("mov " + q(dst) + "," + q(src), why);
    }

    /** {@code movabs r64, imm64}: REX.W B8+r io. */
    void moveImm64(Reg dst, long imm, String why) {
        begin();
        rex(true, null, dst);
        code.write(0xb8 + (dst.code() & 7));
        le(imm, 8);
        end("movabs " + q(dst) + "," + hex(imm), why);
    }

    /** {@code mov r32, imm32} (zero-extends into the 64-bit register): [REX.B] B8+r id. */
    void moveImm32(Reg dst, int imm, String why) {
        begin();
        rex(false, null, dst);
        code.write(0xb8 + (dst.code() & 7));
        le(imm, 4);
        end("mov " + d(dst) + "," + hex(Integer.toUnsignedLong(imm)), why);
    }

    /** {@code xor r32, r32}, which zeroes the whole 64-bit register: [REX.RB] 31 /r. */
    void zero(Reg r, String why) {
        begin();
        rex(false, r, r);
        code.write(0x31);
        code.write(0xc0 | (r.code() & 7) << 3 | (r.code() & 7));
        end("xor " + d(r) + "," + d(r), why);
    }

    /** {@code lea r64, [rip+d]}: REX.W 8D /r. */
    void lea(Reg dst, long addr, String why) {
        begin();
        rex(true, dst, null);
        code.write(0x8d);
        long d = ripOperand(dst, addr);
        end("lea " + q(dst) + "," + rip(d), why);
    }

    /** {@code call r64}: [REX.B] FF /2. */
    void call(Reg r, String why) {
        begin();
        rex(false, null, r);
        code.write(0xff);
        code.write(0xd0 | (r.code() & 7));
        end("call " + q(r), why);
    }

    /** {@code jmp qword [rip+d]}: FF /4. */
    void jumpIndirect(long addr, String why) {
        begin();
        code.write(0xff);
        long d = ripOperand(4, addr);
        end("jmp qword ptr " + rip(d), why);
    }

    /** {@code jmp rel32}: E9 cd. */
    void jump(long target, String why) {
        begin();
        code.write(0xe9);
        rel32(target);
        end("jmp " + hex(target), why);
    }

    /** {@code jne rel32}: 0F 85 cd. */
    void jumpIfNotEqual(long target, String why) {
        begin();
        code.write(0x0f);
        code.write(0x85);
        rel32(target);
        end("jne " + hex(target), why);
    }

    /** {@code cmp qword [rip+d], imm8} (sign-extended): REX.W 83 /7 ib. */
    void compareImm8(long addr, int imm8, String why) {
        begin();
        rex(true, null, null);
        code.write(0x83);
        long d = ripOperand(7, addr, 1);
        code.write(imm8);
        end("cmp qword ptr " + rip(d) + "," + hex(imm8 & 0xffL), why);
    }

    /** {@code add r64, imm8}: REX.W 83 /0 ib. */
    void addImm8(Reg r, int imm8, String why) {
        arithImm8(0, "add", r, imm8, why);
    }

    /** {@code sub r64, imm8}: REX.W 83 /5 ib. */
    void subImm8(Reg r, int imm8, String why) {
        arithImm8(5, "sub", r, imm8, why);
    }

    /** {@code ret}: C3. */
    void ret(String why) {
        begin();
        code.write(0xc3);
        end("ret", why);
    }

    // ---- encoding helpers -------------------------------------------------------------------

    private void arithImm8(int ext, String name, Reg r, int imm8, String why) {
        if (imm8 < 0 || imm8 > 127) throw new IllegalArgumentException("imm8 " + imm8);
        begin();
        rex(true, null, r);
        code.write(0x83);
        code.write(0xc0 | ext << 3 | (r.code() & 7));
        code.write(imm8);
        end(name + " " + q(r) + "," + hex(imm8), why);
    }

    /** A REX prefix if needed: W for 64-bit operands, R extends ModRM.reg, B extends ModRM.rm / the opcode register. */
    private void rex(boolean w, Reg reg, Reg rm) {
        int rex = (w ? 8 : 0) | (reg != null && reg.extended() ? 4 : 0) | (rm != null && rm.extended() ? 1 : 0);
        if (rex != 0) code.write(0x40 | rex);
    }

    private long ripOperand(Reg reg, long addr) { return ripOperand(reg.code(), addr, 0); }

    private long ripOperand(int reg, long addr) { return ripOperand(reg, addr, 0); }

    /** ModRM 00 reg 101 and disp32, relative to the end of the instruction ({@code trailing} immediate bytes follow). */
    private long ripOperand(int reg, long addr, int trailing) {
        code.write((reg & 7) << 3 | 0b101);
        long end = pc() + 4 + trailing;
        long d = addr - end;
        if (d != (int) d) throw new IllegalArgumentException("RIP-relative target out of reach: " + hex(addr));
        le(d, 4);
        return d;
    }

    private void rel32(long target) {
        long d = target - (pc() + 4);
        if (d != (int) d) throw new IllegalArgumentException("branch target out of reach: " + hex(target));
        le(d, 4);
    }

    private void le(long v, int n) {
        for (int i = 0; i < n; i++) code.write((int) (v >>> 8 * i) & 0xff);
    }

    private void begin() {
        if (start >= 0) throw new IllegalStateException("instruction not finished");
        start = code.size();
    }

    private void end(String text, String why) {
        lines.add(new Line(start, code.size() - start, text, why));
        start = -1;
    }

    private static String q(Reg r) { return r.name(ring0.isa.Width.QWORD); }

    private static String d(Reg r) { return r.name(ring0.isa.Width.DWORD); }

    /** objdump prints a RIP displacement as {@code rip+0x…}, a negative one as its 64-bit two's complement. */
    private static String rip(long d) { return "[rip+" + hex(d) + "]"; }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }
}
