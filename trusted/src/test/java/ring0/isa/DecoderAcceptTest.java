package ring0.isa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ring0.isa.Insn.AluOp;

/** Every accepted instruction form: decoded length and printed text, plus truncation at every length. */
class DecoderAcceptTest {

    /** Encoding (as GNU as produces it, or a redundant alternative) and its expected printed form. */
    static final String FORMS = """
        48 89 c8                      | mov rax, rcx
        8b c3                         | mov eax, ebx
        47 8b 44 91 7f                | mov r8d, [r9+r10*4+0x7f]
        40 88 24 24                   | mov [rsp], spl
        8a 08                         | mov cl, [rax]
        45 88 c8                      | mov r8b, r9b
        c6 00 80                      | mov byte [rax], -0x80
        66 c7 45 f8 34 12             | mov word [rbp-8], 0x1234
        49 c7 44 24 08 ff ff ff ff    | mov qword [r12+8], -1
        c7 05 00 01 00 00 07 00 00 00 | mov dword [rip+0x100], 7
        b1 09                         | mov cl, 9
        40 b6 7f                      | mov sil, 0x7f
        66 41 bf ff ff                | mov r15w, -1
        b8 00 00 00 80                | mov eax, -0x80000000
        49 bb 00 00 00 00 00 00 00 80 | mov r11, -0x8000000000000000
        48 b8 01 00 00 00 00 00 00 00 | mov rax, 1
        48 c7 c1 fe ff ff ff          | mov rcx, -2
        0f b6 06                      | movzx eax, byte [rsi]
        66 44 0f b6 cf                | movzx r9w, dil
        48 0f b7 04 0a                | movzx rax, word [rdx+rcx]
        0f be cb                      | movsx ecx, bl
        49 0f bf d0                   | movsx rdx, r8w
        48 63 04 dd 10 00 00 00       | movsxd rax, dword [rbx*8+0x10]
        4d 63 d5                      | movsxd r10, r13d
        48 8d 35 10 00 00 00          | lea rsi, [rip+0x10]
        8d 04 40                      | lea eax, [rax+rax*2]
        4d 8d 65 00                   | lea r12, [r13]
        48 01 d8                      | add rax, rbx
        48 03 c3                      | add rax, rbx
        0a 0a                         | or cl, [rdx]
        66 45 11 08                   | adc [r8], r9w
        1c 01                         | sbb al, 1
        04 ff                         | add al, -1
        25 78 56 34 12                | and eax, 0x12345678
        48 2d 00 00 00 80             | sub rax, -0x80000000
        66 35 34 12                   | xor ax, 0x1234
        80 39 41                      | cmp byte [rcx], 0x41
        81 c1 01 00 00 00             | add ecx, 1
        48 83 44 24 08 80             | add qword [rsp+8], -0x80
        66 81 38 ff 7f                | cmp word [rax], 0x7fff
        38 c8                         | cmp al, cl
        3b 04 24                      | cmp eax, [rsp]
        48 85 c8                      | test rax, rcx
        40 84 2e                      | test [rsi], bpl
        a8 80                         | test al, -0x80
        a9 00 00 01 00                | test eax, 0x10000
        f6 c3 01                      | test bl, 1
        66 41 f7 01 00 80             | test word [r9], -0x8000
        49 f7 c2 fe ff ff ff          | test r10, -2
        fe 00                         | inc byte [rax]
        fe c9                         | dec cl
        66 41 ff cd                   | dec r13w
        48 ff 05 fc ff ff ff          | inc qword [rip-4]
        f7 13                         | not dword [rbx]
        49 f7 de                      | neg r14
        41 0f af 0f                   | imul ecx, [r15]
        66 44 0f af c0                | imul r8w, ax
        48 6b c1 ff                   | imul rax, rcx, -1
        69 07 00 10 00 00             | imul eax, [rdi], 0x1000
        66 69 d1 00 80                | imul dx, cx, -0x8000
        f6 e1                         | mul cl
        48 f7 28                      | imul qword [rax]
        41 f7 f0                      | div r8d
        66 f7 39                      | idiv word [rcx]
        99                            | cdq
        48 99                         | cqo
        48 c1 e0 3f                   | shl rax, 0x3f
        d0 2a                         | shr byte [rdx], 1
        66 41 d3 f9                   | sar r9w, cl
        d2 e0                         | shl al, cl
        c1 e0 01                      | shl eax, 1
        c1 38 ff                      | sar dword [rax], 0xff
        48 0f 43 01                   | cmovae rax, [rcx]
        66 45 0f 4f c1                | cmovg r8w, r9w
        0f 95 c0                      | setne al
        41 0f 9c c4                   | setl r12b
        0f 94 07                      | sete [rdi]
        40 0f 92 c6                   | setb sil
        eb 0e                         | jmp $+0x10
        eb 80                         | jmp $-0x7e
        eb fe                         | jmp $
        e9 00 00 00 00                | jmp near $+5
        e9 00 01 00 00                | jmp $+0x105
        74 00                         | je $+2
        0f 8c 00 00 00 80             | jl $-0x7ffffffa
        0f 85 fa ff ff ff             | jne near $
        ff e0                         | jmp rax
        41 ff 63 08                   | jmp [r11+8]
        e8 fb 00 00 00                | call $+0x100
        41 ff d4                      | call r12
        ff 15 00 20 00 00             | call [rip+0x2000]
        c3                            | ret
        53                            | push rbx
        41 57                         | push r15
        6a 01                         | push 1
        68 00 f0 ff ff                | push -0x1000
        ff 74 24 10                   | push qword [rsp+0x10]
        ff f0                         | push rax
        5e                            | pop rsi
        41 58                         | pop r8
        8f 04 48                      | pop qword [rax+rcx*2]
        41 8f c1                      | pop r9
        90                            | nop
        43 8b 04 e4                   | mov eax, [r12+r12*8]
        41 8b 45 00                   | mov eax, [r13]
        8b 80 00 00 00 00             | mov eax, [rax]
        8b 04 24                      | mov eax, [rsp]
        42 8b 04 24                   | mov eax, [rsp+r12]
        8b 04 0d 00 00 00 00          | mov eax, [rcx*1]
        42 8b 84 45 00 00 00 80       | mov eax, [rbp+r8*2-0x80000000]
        """;

    record Form(byte[] code, String text) {
        @Override public String toString() { return Hex.string(code, 0, code.length) + " = " + text; }
    }

    static Stream<Form> forms() {
        return FORMS.lines().map(l -> l.split("\\|")).map(p -> new Form(Hex.bytes(p[0].trim()), p[1].trim()));
    }

    @ParameterizedTest
    @MethodSource("forms")
    void decodesWholeEncodingToExpectedText(Form f) throws DecodeException {
        Decoded d = Decoder.decode(f.code, 0, f.code.length);
        assertThat(d.length()).isEqualTo(f.code.length);
        assertThat(Syntax.format(d.insn())).isEqualTo(f.text);
    }

    @ParameterizedTest
    @MethodSource("forms")
    void ignoresWhatFollowsAndReportsAbsoluteOffsets(Form f) throws DecodeException {
        byte[] padded = new byte[f.code.length + 20];
        Arrays.fill(padded, (byte) 0xF4);
        System.arraycopy(f.code, 0, padded, 7, f.code.length);
        Decoded d = Decoder.decode(padded, 7, padded.length);
        assertThat(d.length()).isEqualTo(f.code.length);
        assertThat(Syntax.format(d.insn())).isEqualTo(f.text);
        assertThatThrownBy(() -> Decoder.decode(padded, 7 + f.code.length, padded.length))
            .isInstanceOfSatisfying(DecodeException.class, e -> {
                assertThat(e.offset()).isEqualTo(7 + f.code.length);
                assertThat(e.reason()).isEqualTo("hlt is not allowed");
            });
    }

    @ParameterizedTest
    @MethodSource("forms")
    void rejectsEveryTruncation(Form f) {
        byte[] padded = new byte[f.code.length + 3];
        System.arraycopy(f.code, 0, padded, 3, f.code.length);
        for (int len = 0; len < f.code.length; len++) {
            int limit = 3 + len;
            assertThatThrownBy(() -> Decoder.decode(padded, 3, limit))
                .as("first %d bytes", len)
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.offset()).isEqualTo(3);
                    assertThat(e.reason()).isEqualTo("truncated instruction");
                });
        }
    }

    @Test
    void decodesToTheExpectedModel() throws DecodeException {
        record Case(String hex, Insn insn) {}
        List<Case> cases = List.of(
            new Case("49 bb 00 00 00 00 00 00 00 80", new Insn.Mov(Width.QWORD, Reg.R11, new Imm(Long.MIN_VALUE))),
            new Case("48 c7 c1 fe ff ff ff", new Insn.Mov(Width.QWORD, Reg.RCX, new Imm(-2))),
            new Case("8b 04 0d 10 00 00 00", new Insn.Mov(Width.DWORD, Reg.RAX, new Mem(null, Reg.RCX, 1, 16, false))),
            new Case("42 8b 04 24", new Insn.Mov(Width.DWORD, Reg.RAX, Mem.of(Reg.RSP, Reg.R12, 1, 0))),
            new Case("48 8b 05 f8 ff ff ff", new Insn.Mov(Width.QWORD, Reg.RAX, Mem.rip(-8))),
            new Case("40 88 c6", new Insn.Mov(Width.BYTE, Reg.RSI, Reg.RAX)),
            new Case("48 83 e4 f0", new Insn.Alu(AluOp.AND, Width.QWORD, Reg.RSP, new Imm(-16))),
            new Case("d1 e8", new Insn.Shift(Insn.ShiftOp.SHR, Width.DWORD, Reg.RAX, new Imm(1))),
            new Case("c0 e0 ff", new Insn.Shift(Insn.ShiftOp.SHL, Width.BYTE, Reg.RAX, new Imm(255))),
            new Case("d3 f8", new Insn.Shift(Insn.ShiftOp.SAR, Width.DWORD, Reg.RAX, Reg.RCX)),
            new Case("eb fe", new Insn.Jmp(-2, true)),
            new Case("0f 84 00 01 00 00", new Insn.Jcc(Cond.E, 256, false)),
            new Case("e8 00 00 00 80", new Insn.Call(Integer.MIN_VALUE)),
            new Case("6a 80", new Insn.Push(new Imm(-128))),
            new Case("68 ff ff ff 7f", new Insn.Push(new Imm(Integer.MAX_VALUE))),
            new Case("66 6b c0 80", new Insn.Imul3(Width.WORD, Reg.RAX, Reg.RAX, -128)),
            new Case("66 0f be c0", new Insn.Movx(Width.WORD, Reg.RAX, Width.BYTE, Reg.RAX, true)),
            new Case("48 63 c8", new Insn.Movx(Width.QWORD, Reg.RCX, Width.DWORD, Reg.RAX, true)),
            new Case("0f 9f 00", new Insn.Setcc(Cond.G, Mem.of(Reg.RAX, 0))),
            new Case("48 99", new Insn.SignExtend(Width.QWORD)));
        for (Case c : cases) {
            byte[] b = Hex.bytes(c.hex);
            assertThat(Decoder.decode(b, 0, b.length)).as(c.hex).isEqualTo(new Decoded(c.insn, b.length));
        }
    }

    @Test
    void everyConditionAndRegisterDecodes() throws DecodeException {
        for (int cc = 0; cc < 16; cc++) {
            byte[] jcc = {(byte) (0x70 + cc), 0x10};
            assertThat(Decoder.decode(jcc, 0, 2).insn()).isEqualTo(new Insn.Jcc(Cond.of(cc), 16, true));
            byte[] set = {0x0F, (byte) (0x90 + cc), (byte) 0xC1};
            assertThat(Decoder.decode(set, 0, 3).insn()).isEqualTo(new Insn.Setcc(Cond.of(cc), Reg.RCX));
            byte[] cmov = {0x48, 0x0F, (byte) (0x40 + cc), (byte) 0xC1};
            assertThat(Decoder.decode(cmov, 0, 4).insn()).isEqualTo(new Insn.Cmov(Cond.of(cc), Width.QWORD, Reg.RAX, Reg.RCX));
        }
        for (int r = 0; r < 16; r++) {
            byte[] push = {(byte) (0x40 | r >> 3), (byte) (0x50 + (r & 7))};
            int from = r < 8 ? 1 : 0;
            assertThat(Decoder.decode(push, from, 2)).isEqualTo(new Decoded(new Insn.Push(Reg.of(r)), 2 - from));
        }
    }
}
