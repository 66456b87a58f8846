package ring0.isa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile and unsupported byte sequences are rejected with the expected reason. */
class DecoderRejectTest {

    static final String REJECTS = """
        0f 05                         | syscall is not allowed
        0f 34                         | sysenter is not allowed
        0f 07                         | sysret is not allowed
        cd 80                         | int is not allowed
        cc                            | int3 is not allowed
        ce                            | into is not allowed
        f1                            | int1 is not allowed
        f4                            | hlt is not allowed
        fa                            | cli is not allowed
        fb                            | sti is not allowed
        e4 60                         | in is not allowed
        ec                            | in is not allowed
        ee                            | out is not allowed
        6c                            | ins is not allowed
        0f 30                         | wrmsr is not allowed
        0f 32                         | rdmsr is not allowed
        0f 01 d8                      | system instruction group 0x0f 0x01 is not allowed
        0f 22 d8                      | mov to/from a control register is not allowed
        8e d8                         | mov to a segment register is not allowed
        8c d8                         | mov from a segment register is not allowed
        ff 18                         | far call is not allowed
        ff 28                         | far jmp is not allowed
        cb                            | far ret is not allowed
        cf                            | iret is not allowed
        a4                            | movs is not allowed
        ab                            | stos is not allowed
        d9 c0                         | x87 instruction is not allowed
        87 c0                         | xchg is not allowed
        41 90                         | xchg is not allowed
        c8 10 00 00                   | enter is not allowed
        c9                            | leave is not allowed
        e2 fe                         | loop is not allowed
        e3 00                         | jrcxz is not allowed
        9c                            | pushf is not allowed
        9d                            | popf is not allowed
        a1 00 00 00 00 00 00 00 00    | mov with an absolute address is not allowed
        c2 08 00                      | ret imm16 is not allowed
        0f 0b                         | ud2 is not allowed
        0f 1f 00                      | multi-byte nop is not allowed
        c4 e2 79 18 00                | VEX prefix is not allowed
        62 f1 7c 48 10 00             | EVEX prefix is not allowed
        0f a2                         | unsupported opcode 0x0f 0xa2
        0f 38 00 c0                   | unsupported opcode 0x0f 0x38
        0f af                         | truncated instruction
        82 c0 01                      | opcode 0x82 is invalid in 64-bit mode
        06                            | opcode 0x06 is invalid in 64-bit mode
        f3 90                         | rep prefix 0xf3 is not allowed
        f3 a4                         | rep prefix 0xf3 is not allowed
        f2 0f 10 c0                   | repne prefix 0xf2 is not allowed
        f0 48 01 08                   | lock prefix is not allowed
        66 f0 01 08                   | lock prefix is not allowed
        64 48 8b 04 25 28 00 00 00    | prefix 0x64 (fs:) is not allowed
        65 48 8b 00                   | prefix 0x65 (gs:) is not allowed
        2e 74 00                      | prefix 0x2e (cs:) is not allowed
        3e 74 00                      | prefix 0x3e (ds:) is not allowed
        26 8b 00                      | prefix 0x26 (es:) is not allowed
        36 8b 00                      | prefix 0x36 (ss:) is not allowed
        67 8b 00                      | prefix 0x67 (address size) is not allowed
        66 66 90                      | repeated prefix 0x66
        48 66 01 c0                   | REX prefix must immediately precede the opcode
        48 48 01 c0                   | REX prefix must immediately precede the opcode
        41 f0 01 c0                   | lock prefix is not allowed
        66 48 01 c0                   | prefix 0x66 together with REX.W is not allowed
        88 e0                         | high-byte register ah is not supported
        8a c5                         | high-byte register ch is not supported
        00 f0                         | high-byte register dh is not supported
        0f b6 c7                      | high-byte register bh is not supported
        0f 94 c4                      | high-byte register ah is not supported
        b4 01                         | high-byte register ah is not supported
        fe c7                         | high-byte register bh is not supported
        40 01 c0                      | REX prefix 0x40 has no effect on add
        40 88 c0                      | REX prefix 0x40 has no effect on mov
        40 0f b6 f0                   | REX prefix 0x40 has no effect on movzx
        40 c3                         | REX prefix 0x40 has no effect on ret
        48 c3                         | REX.W has no effect on ret
        48 50                         | REX.W has no effect on push
        48 ff 30                      | REX.W has no effect on push
        48 8f c0                      | REX.W has no effect on pop
        48 ff d0                      | REX.W has no effect on call
        48 ff e0                      | REX.W has no effect on jmp
        48 eb 00                      | REX.W has no effect on jmp
        48 0f 84 00 00 00 00          | REX.W has no effect on je
        48 0f 94 c0                   | REX.W has no effect on sete
        48 88 c0                      | REX.W has no effect on mov
        48 90                         | REX.W has no effect on nop
        48 fe c0                      | REX.W has no effect on inc
        44 83 c0 01                   | REX.R has no effect on add
        44 ff c0                      | REX.R has no effect on inc
        44 c1 e0 01                   | REX.R has no effect on shl
        44 0f 94 c0                   | REX.R has no effect on sete
        44 50                         | REX.R has no effect on push
        42 8b 00                      | REX.X has no effect on mov
        42 01 c0                      | REX.X has no effect on add
        42 8b 05 00 00 00 00          | REX.X has no effect on mov
        41 8b 05 00 00 00 00          | REX.B has no effect on mov
        41 8b 04 0d 00 00 00 00       | REX.B has no effect on mov
        41 e8 00 00 00 00             | REX.B has no effect on call
        41 c3                         | REX.B has no effect on ret
        41 99                         | REX.B has no effect on cdq
        66 50                         | prefix 0x66 is not allowed on push
        66 ff 30                      | prefix 0x66 is not allowed on push
        66 58                         | prefix 0x66 is not allowed on pop
        66 c3                         | prefix 0x66 is not allowed on ret
        66 e8 00 00 00 00             | prefix 0x66 is not allowed on call
        66 ff d0                      | prefix 0x66 is not allowed on call
        66 eb 00                      | prefix 0x66 is not allowed on jmp
        66 74 00                      | prefix 0x66 is not allowed on je
        66 8d 00                      | prefix 0x66 is not allowed on lea
        66 99                         | prefix 0x66 is not allowed on cdq
        66 90                         | prefix 0x66 is not allowed on nop
        66 88 c0                      | prefix 0x66 is not allowed on mov
        66 b0 00                      | prefix 0x66 is not allowed on mov
        66 0f b7 c0                   | prefix 0x66 is not allowed on movzx
        66 0f bf c0                   | prefix 0x66 is not allowed on movsx
        66 0f 94 c0                   | prefix 0x66 is not allowed on sete
        66 0f 84 00 00 00 00          | prefix 0x66 is not allowed on je
        66 6a 00                      | prefix 0x66 is not allowed on push
        66 fe c0                      | prefix 0x66 is not allowed on inc
        66 80 c0 01                   | prefix 0x66 is not allowed on add
        63 c0                         | movsxd without REX.W is not allowed
        8d c0                         | lea with a register operand is not allowed
        48 8d c0                      | lea with a register operand is not allowed
        f6 c8 01                      | unsupported opcode 0xf6 /1
        f7 c8 01 00 00 00             | unsupported opcode 0xf7 /1
        c1 c0 01                      | rol is not allowed
        d1 c8                         | ror is not allowed
        d0 d0                         | rcl is not allowed
        d3 d8                         | rcr is not allowed
        d1 f0                         | unsupported opcode 0xd1 /6
        0f 94 c8                      | setcc needs ModRM.reg = 0
        8f c8                         | unsupported opcode 0x8f /1
        c6 f8 00                      | unsupported opcode 0xc6 /7
        c7 f8 00 00 00 00             | unsupported opcode 0xc7 /7
        fe d0                         | unsupported opcode 0xfe /2
        ff f8                         | unsupported opcode 0xff /7
        8b 04 25 00 00 00 00          | absolute addressing is not supported
        41 8b 04 25 00 00 00 00       | absolute addressing is not supported
        8b 04 20                      | SIB byte without an index is only allowed for base rsp or r12
        8b 44 25 00                   | SIB byte without an index is only allowed for base rsp or r12
        8b 04 64                      | SIB scale without an index
        89                            | truncated instruction
        48                            | truncated instruction
        66                            | truncated instruction
        8b 04                         | truncated instruction
        48 b8 00 00 00 00 00 00 00    | truncated instruction
        """;

    record Reject(byte[] code, String reason) {
        @Override public String toString() { return Hex.string(code, 0, code.length) + " -> " + reason; }
    }

    static Stream<Reject> rejects() {
        return REJECTS.lines().map(l -> l.split("\\|")).map(p -> new Reject(Hex.bytes(p[0].trim()), p[1].trim()));
    }

    @ParameterizedTest
    @MethodSource("rejects")
    void rejectsWithReasonAndOffset(Reject r) {
        byte[] padded = new byte[r.code.length + 5];
        System.arraycopy(r.code, 0, padded, 5, r.code.length);
        assertThatThrownBy(() -> Decoder.decode(padded, 5, padded.length))
            .isInstanceOfSatisfying(DecodeException.class, e -> {
                assertThat(e.reason()).isEqualTo(r.reason);
                assertThat(e.offset()).isEqualTo(5);
                assertThat(e.getMessage()).isEqualTo("offset 0x5: " + r.reason);
            });
    }

    @Test
    void onlyTheSupportedOpcodesAreAccepted() {
        Set<Integer> one = new TreeSet<>();
        Set<Integer> two = new TreeSet<>();
        for (int op = 0; op < 256; op++) {
            boolean acceptedPrefix = op == 0x66 || (op & 0xF0) == 0x40;
            if (!acceptedPrefix && acceptedWithSomeModrm(op)) one.add(op);
            if (acceptedWithSomeModrm(0x0F, op)) two.add(op);
        }
        Set<Integer> wantOne = new TreeSet<>();
        for (int row = 0; row < 0x40; row += 8) for (int k = 0; k < 6; k++) wantOne.add(row + k);
        for (int op = 0x50; op < 0x60; op++) wantOne.add(op);
        for (int op = 0x70; op < 0x80; op++) wantOne.add(op);
        for (int op : new int[] {0x68, 0x69, 0x6A, 0x6B, 0x80, 0x81, 0x83, 0x84, 0x85, 0x88, 0x89, 0x8A, 0x8B, 0x8D,
            0x8F, 0x90, 0x99, 0xA8, 0xA9, 0xB0, 0xB1, 0xB2, 0xB3, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF,
            0xC0, 0xC1, 0xC3, 0xC6, 0xC7, 0xD0, 0xD1, 0xD2, 0xD3, 0xE8, 0xE9, 0xEB, 0xF6, 0xF7, 0xFE, 0xFF}) {
            wantOne.add(op);
        }
        Set<Integer> wantTwo = new TreeSet<>();
        for (int op = 0x40; op < 0x50; op++) wantTwo.add(op);
        for (int op = 0x80; op < 0xA0; op++) wantTwo.add(op);
        wantTwo.addAll(List.of(0xAF, 0xB6, 0xB7, 0xBE, 0xBF));
        assertThat(one).isEqualTo(wantOne);
        assertThat(two).isEqualTo(wantTwo);
    }

    /** Whether {@code opcode} followed by some ModRM byte (any reg field, register or [rax]) and zeros decodes. */
    private static boolean acceptedWithSomeModrm(int... opcode) {
        for (int modrm : new int[] {0xC0, 0x00}) {
            for (int reg = 0; reg < 8; reg++) {
                byte[] b = new byte[16];
                for (int i = 0; i < opcode.length; i++) b[i] = (byte) opcode[i];
                b[opcode.length] = (byte) (modrm | reg << 3);
                try {
                    Decoder.decode(b, 0, b.length);
                    return true;
                } catch (DecodeException e) {
                    // try the next ModRM byte
                }
            }
        }
        return false;
    }

    @Test
    void rejectsBadRanges() {
        byte[] code = {(byte) 0x90};
        assertReason(() -> Decoder.decode(code, 1, 1), "truncated instruction");
        assertReason(() -> Decoder.decode(code, 0, 0), "truncated instruction");
        assertReason(() -> Decoder.decode(code, 2, 1), "offset outside the code");
        assertReason(() -> Decoder.decode(code, -1, 1), "offset outside the code");
        assertReason(() -> Decoder.decode(null, 0, 1), "offset outside the code");
        assertReason(() -> Decoder.decode(code, 1, 9), "truncated instruction");
    }

    @Test
    void exceptionIsCheap() {
        DecodeException e = new DecodeException(0x1f, "hlt is not allowed");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("offset 0x1f: hlt is not allowed");
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
