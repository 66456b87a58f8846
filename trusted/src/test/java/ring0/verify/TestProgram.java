package ring0.verify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ring0.abi.Service;
import ring0.elf.ElfImage;
import ring0.isa.Cond;
import ring0.isa.Reg;

/**
 * Builds ring0 program images for checker tests without the assembler: a tiny
 * encoder for the instruction forms the tests use (always the long forms:
 * disp32, rel32, imm32), the stop block and polls, data items, and a
 * {@code .ring0.types} section serialized by hand.
 */
final class TestProgram {
    static final Service STOP = Service.STOP;
    static final long VADDR = 0x401000;
    /** Far beyond any test's .text, so rip-relative displacements are known while encoding. */
    static final int RW = 0x0100_0000;

    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final List<Service> imports;
    private final List<String[]> types = new ArrayList<>();
    private final List<Object[]> labels = new ArrayList<>();
    private final List<Object[]> data = new ArrayList<>();
    private final List<Object[]> coercions = new ArrayList<>();
    private final ByteArrayOutputStream dataBytes = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();
    /** rel32 fields to patch: {position, end of instruction, label}. */
    private final List<Object[]> fixups = new ArrayList<>();
    private boolean jbeShort;

    /** A program importing {@link #STOP} and then {@code services}. */
    TestProgram(Service... services) {
        imports = new ArrayList<>();
        imports.add(STOP);
        imports.addAll(List.of(services));
        int p = pos();
        emit(0xFF, 0x15);
        imm32(slot(STOP) - (p + 6));
        emit(0xEB, 0xF8);
    }

    int pos() { return text.size(); }

    int slot(Service s) { return RW + 16 + 8 * imports.indexOf(s); }

    int dataOffset() { return (RW + 16 + 8 * imports.size() + 15) / 16 * 16; }

    // ------------------------------------------------------------------ annotations

    TestProgram type(String name, String def) {
        types.add(new String[] {name, def});
        return this;
    }

    /** Starts label {@code name} here, with its poll. */
    TestProgram label(String name, String pre) {
        rawLabel(name, pre);
        poll();
        return this;
    }

    /** Declares label {@code name} here without emitting a poll. */
    TestProgram rawLabel(String name, String pre) {
        offsets.put(name, pos());
        labels.add(new Object[] {pos(), name, pre});
        return this;
    }

    TestProgram poll() {
        int p = pos();
        emit(0x48, 0x3B, 0x25);
        imm32(RW - (p + 7));
        if (jbeShort && pos() + 2 <= 128) {
            emit(0x76, -(pos() + 2) & 0xff);
        } else {
            int q = pos();
            emit(0x0F, 0x86);
            imm32(-(q + 6));
        }
        jbeShort = !jbeShort;
        return this;
    }

    TestProgram coerce(String text) {
        coercions.add(new Object[] {pos(), text});
        return this;
    }

    /** A byte array data item. */
    TestProgram bytesData(String name, byte[] contents) {
        return dataItem(name, 1, contents.length, contents);
    }

    /** A word array data item. */
    TestProgram wordsData(String name, long... words) {
        byte[] b = new byte[8 * words.length];
        for (int i = 0; i < words.length; i++) for (int j = 0; j < 8; j++) b[8 * i + j] = (byte) (words[i] >>> 8 * j);
        return dataItem(name, 2, words.length, b);
    }

    /** A single word data item. */
    TestProgram wordData(String name, long value) {
        int off = dataOffset() + dataBytes.size();
        offsets.put(name, off);
        data.add(new Object[] {off, name, 3, 1L});
        le(dataBytes, value, 8);
        return this;
    }

    private TestProgram dataItem(String name, int kind, long length, byte[] contents) {
        int off = dataOffset() + dataBytes.size();
        offsets.put(name, off);
        data.add(new Object[] {off, name, kind, length});
        le(dataBytes, length, 8);
        dataBytes.writeBytes(contents);
        while (dataBytes.size() % 8 != 0) dataBytes.write(0);
        return this;
    }

    // ------------------------------------------------------------------ instructions (64-bit unless said)

    TestProgram emit(int... bytes) {
        for (int b : bytes) text.write(b);
        return this;
    }

    TestProgram nop() { return emit(0x90); }

    TestProgram ret() { return emit(0xC3); }

    TestProgram cqo() { return emit(0x48, 0x99); }

    TestProgram push(Reg r) {
        if (r.extended()) emit(0x41);
        return emit(0x50 + (r.code() & 7));
    }

    TestProgram pop(Reg r) {
        if (r.extended()) emit(0x41);
        return emit(0x58 + (r.code() & 7));
    }

    TestProgram pushImm(int v) {
        emit(0x68);
        return imm32(v);
    }

    /** {@code op r/m64, r64} with register operands, e.g. 0x89 mov, 0x01 add, 0x39 cmp, 0x85 test. */
    TestProgram rr(int opcode, Reg rm, Reg reg) {
        withRex(rex(true, reg, null, rm), opcode, 0xC0 | (reg.code() & 7) << 3 | (rm.code() & 7));
        return this;
    }

    TestProgram mov(Reg dst, Reg src) { return rr(0x89, dst, src); }

    TestProgram add(Reg dst, Reg src) { return rr(0x01, dst, src); }

    TestProgram sub(Reg dst, Reg src) { return rr(0x29, dst, src); }

    TestProgram cmp(Reg a, Reg b) { return rr(0x39, a, b); }

    TestProgram test(Reg a, Reg b) { return rr(0x85, a, b); }

    /** {@code xor r32, r32} (zeroes the whole register). */
    TestProgram zero(Reg r) {
        if (r.extended()) emit(0x45);
        return emit(0x31, 0xC0 | (r.code() & 7) << 3 | (r.code() & 7));
    }

    /** {@code op r/m64, imm32} (group 1 via 0x81): ext 0 add, 4 and, 5 sub, 7 cmp. */
    TestProgram group1(int ext, Reg rm, int imm) {
        withRex(rex(true, null, null, rm), 0x81, 0xC0 | ext << 3 | (rm.code() & 7));
        return imm32(imm);
    }

    TestProgram addImm(Reg r, int v) { return group1(0, r, v); }

    TestProgram subImm(Reg r, int v) { return group1(5, r, v); }

    TestProgram andImm(Reg r, int v) { return group1(4, r, v); }

    TestProgram cmpImm(Reg r, int v) { return group1(7, r, v); }

    /** {@code mov r64, imm32} (sign-extended). */
    TestProgram movImm(Reg r, int v) {
        withRex(rex(true, null, null, r), 0xC7, 0xC0 | (r.code() & 7));
        return imm32(v);
    }

    TestProgram inc(Reg r) {
        return withRex(rex(true, null, null, r), 0xFF, 0xC0 | (r.code() & 7));
    }

    /** Group 3 ({@code F7 /ext}): 4 mul, 5 imul, 6 div, 7 idiv. */
    TestProgram group3(int ext, Reg r) {
        return withRex(rex(true, null, null, r), 0xF7, 0xC0 | ext << 3 | (r.code() & 7));
    }

    TestProgram div(Reg r) { return group3(6, r); }

    TestProgram idiv(Reg r) { return group3(7, r); }

    /** {@code opcode reg, [base + index*scale + disp32]} (64-bit; index may be null). */
    TestProgram mem(int opcode, Reg reg, Reg base, Reg index, int scale, int disp) {
        return memW(true, new int[] {opcode}, reg, base, index, scale, disp);
    }

    TestProgram memW(boolean w, int[] opcode, Reg reg, Reg base, Reg index, int scale, int disp) {
        int r = rex(w, reg, index, base);
        if (r != 0) emit(r);
        emit(opcode);
        boolean sib = index != null || (base.code() & 7) == 4;
        emit(0x80 | (reg.code() & 7) << 3 | (sib ? 4 : base.code() & 7));
        if (sib) {
            int ss = switch (scale) { case 1 -> 0; case 2 -> 1; case 4 -> 2; default -> 3; };
            emit(ss << 6 | (index == null ? 4 : index.code() & 7) << 3 | (base.code() & 7));
        }
        return imm32(disp);
    }

    TestProgram load(Reg dst, Reg base, int disp) { return mem(0x8B, dst, base, null, 1, disp); }

    TestProgram load(Reg dst, Reg base, Reg index, int scale, int disp) { return mem(0x8B, dst, base, index, scale, disp); }

    TestProgram store(Reg base, int disp, Reg src) { return mem(0x89, src, base, null, 1, disp); }

    TestProgram store(Reg base, Reg index, int scale, int disp, Reg src) { return mem(0x89, src, base, index, scale, disp); }

    /** {@code movzx r32, byte [base + index + disp]}. */
    TestProgram loadByte(Reg dst, Reg base, Reg index, int disp) {
        return memW(false, new int[] {0x0F, 0xB6}, dst, base, index, 1, disp);
    }

    /** {@code mov byte [base + index + disp], r8} (registers below 4 only: al, cl, dl, bl). */
    TestProgram storeByte(Reg base, Reg index, int disp, Reg src) {
        return memW(false, new int[] {0x88}, src, base, index, 1, disp);
    }

    /** {@code mov qword [base + disp], imm32}. */
    TestProgram storeImm(Reg base, int disp, int v) {
        mem(0xC7, Reg.RAX, base, null, 1, disp);
        return imm32(v);
    }

    /** {@code cmp r64, [base + disp]}. */
    TestProgram cmpMem(Reg r, Reg base, int disp) { return mem(0x3B, r, base, null, 1, disp); }

    /** {@code opcode reg, [rip + d]} with d reaching image offset {@code target}. */
    TestProgram rip(int opcode, Reg reg, int target) {
        int p = pos();
        withRex(rex(true, reg, null, null), opcode, (reg.code() & 7) << 3 | 5);
        return imm32(target - (p + 7));
    }

    /** {@code lea r, [rel name]} for a code or data label. */
    TestProgram lea(Reg r, String name) {
        int p = pos();
        withRex(rex(true, r, null, null), 0x8D, (r.code() & 7) << 3 | 5);
        fixups.add(new Object[] {pos(), p + 7, name, true});
        return imm32(0);
    }

    /** {@code mov r, [rel name]} for a data word. */
    TestProgram loadWord(Reg r, String name) {
        return ripLabel(0x8B, r, name);
    }

    /** {@code mov [rel name], r} for a data word. */
    TestProgram storeWord(String name, Reg r) {
        return ripLabel(0x89, r, name);
    }

    /** {@code opcode r, [rel name]}. */
    TestProgram ripLabel(int opcode, Reg r, String name) {
        int p = pos();
        withRex(rex(true, r, null, null), opcode, (r.code() & 7) << 3 | 5);
        fixups.add(new Object[] {pos(), p + 7, name, true});
        return imm32(0);
    }

    /** {@code call [rel slot]}. */
    TestProgram callSlot(Service s) {
        int p = pos();
        emit(0xFF, 0x15);
        return imm32(slot(s) - (p + 6));
    }

    TestProgram jmp(String label) { return branch(new int[] {0xE9}, label); }

    TestProgram call(String label) { return branch(new int[] {0xE8}, label); }

    TestProgram jcc(Cond c, String label) { return branch(new int[] {0x0F, 0x80 + c.code()}, label); }

    TestProgram jmpReg(Reg r) { return withRex(rex(false, null, null, r), 0xFF, 0xE0 | (r.code() & 7)); }

    TestProgram callReg(Reg r) { return withRex(rex(false, null, null, r), 0xFF, 0xD0 | (r.code() & 7)); }

    private TestProgram branch(int[] opcode, String label) {
        emit(opcode);
        fixups.add(new Object[] {pos(), pos() + 4, label, false});
        return imm32(0);
    }

    TestProgram imm32(int v) {
        le(text, v, 4);
        return this;
    }

    /** A REX byte with W and the high bits of the given registers, or 0 if none is needed (and w is false). */
    private static int rex(boolean w, Reg reg, Reg index, Reg base) {
        int r = (w ? 8 : 0) | (reg != null && reg.extended() ? 4 : 0) | (index != null && index.extended() ? 2 : 0)
                | (base != null && base.extended() ? 1 : 0);
        return r == 0 ? 0 : 0x40 | r;
    }

    private TestProgram withRex(int rexByte, int... rest) {
        if (rexByte != 0) text.write(rexByte);
        for (int b : rest) text.write(b);
        return this;
    }

    // ------------------------------------------------------------------ output

    byte[] text() {
        byte[] t = text.toByteArray();
        for (Object[] f : fixups) {
            Integer target = offsets.get((String) f[2]);
            if (target == null) throw new IllegalStateException("no label " + f[2]);
            int rel = target - (int) f[1];
            for (int i = 0; i < 4; i++) t[(int) f[0] + i] = (byte) (rel >>> 8 * i);
        }
        return t;
    }

    byte[] typesSection() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("R0TYPES\0".getBytes(StandardCharsets.US_ASCII));
        le(b, 1, 4);
        le(b, types.size(), 4);
        for (String[] t : types) {
            str(b, t[0]);
            str(b, t[1]);
        }
        le(b, labels.size(), 4);
        for (Object[] l : labels) {
            le(b, (int) l[0], 4);
            str(b, (String) l[1]);
            str(b, (String) l[2]);
        }
        le(b, data.size(), 4);
        for (Object[] d : data) {
            le(b, (int) d[0], 4);
            str(b, (String) d[1]);
            b.write((int) d[2]);
            le(b, (long) d[3], 8);
        }
        le(b, coercions.size(), 4);
        for (Object[] c : coercions) {
            le(b, (int) c[0], 4);
            str(b, (String) c[1]);
        }
        return b.toByteArray();
    }

    ElfImage image(String entry) {
        return image(entry, typesSection());
    }

    ElfImage image(String entry, byte[] typesSection) {
        return new ElfImage(VADDR, text(), RW, imports, dataOffset(), dataBytes.toByteArray(),
                offsets.getOrDefault(entry, 8), List.of(), typesSection, 0x1000, 0x200000);
    }

    Verified check(String entry) throws IllTyped {
        return Checker.check(image(entry), "t");
    }

    static void str(ByteArrayOutputStream b, String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        le(b, u.length, 4);
        b.writeBytes(u);
    }

    static void le(ByteArrayOutputStream b, long v, int n) {
        for (int i = 0; i < n; i++) b.write((int) (v >>> 8 * i) & 0xff);
    }
}
