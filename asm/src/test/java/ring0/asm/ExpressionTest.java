package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Literals, operators, precedence and constants, evaluated through {@code dq}. */
class ExpressionTest {

    private static long eval(String expr) {
        Program p = Asm.ok("K equ 3\nF equ K * 4\nmain: ret\nsection .data\ndq " + expr + "\n");
        return ByteBuffer.wrap(p.data()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', quoteCharacter = '`', textBlock = """
            42                    = 42
            0x2A                  = 42
            0X2a                  = 42
            0b101010              = 42
            1_000_000             = 1000000
            0xffff_ffff           = 4294967295
            'A'                   = 65
            `'\\n'`               = 10
            `'\\x7f'`             = 127
            `'\\''`               = 39
            1 + 2 * 3             = 7
            (1 + 2) * 3           = 9
            10 - 4 - 3            = 3
            -5 / 2                = -2
            -5 % 3                = -2
            7 / -2                = -3
            1 << 4 | 1            = 17
            1 | 2 ^ 3 & 4         = 3
            0xff & ~0x0f          = 240
            -1 >> 60              = 15
            1 << 63 >> 63         = 1
            ~0                    = -1
            - - 3                 = 3
            +3                    = 3
            6 ^ 3                 = 5
            K * 2 + 1             = 7
            F                     = 12
            F - K << 1            = 18
            0xffffffffffffffff    = -1
            18446744073709551615  = -1
            9223372036854775807 + 1 = -9223372036854775808
            """)
    void evaluates(String expr, long expected) {
        assertThat(eval(expr.strip())).isEqualTo(expected);
    }

    @Test
    void constantsMayBeDefinedAfterUseAndInTermsOfEachOther() {
        assertThat(Asm.hex(Asm.text("mov eax, B\nA equ 2\nB equ A * A + C\nC equ 1"))).isEqualTo("b8 05 00 00 00");
    }

    @Test
    void errorsPointAtTheOperator() {
        assertThat(Asm.errors("main: ret\nsection .data\ndq 1 / (2 - 2)\ndq 1 << 64\ndq 1 % 0\n")).containsExactly(
                "t.tal:3:6: error: division by zero",
                "t.tal:4:6: error: shift count 64 is out of range 0..63",
                "t.tal:5:6: error: division by zero");
    }

    @Test
    void circularConstantsAreReportedOnce() {
        assertThat(Asm.errors("A equ B + 1\nB equ A\nmain: mov eax, A\n"))
                .containsExactly("t.tal:2:7: error: circular definition of constant 'A'");
    }

    @Test
    void badLiterals() {
        assertThat(Asm.errors("main:\n mov eax, 12ab\n mov eax, 0x\n mov rax, 0x1_0000_0000_0000_0000\n mov eax, 1_\n"))
                .containsExactly(
                        "t.tal:2:11: error: invalid number '12ab'",
                        "t.tal:3:11: error: invalid number '0x'",
                        "t.tal:4:11: error: number '0x1_0000_0000_0000_0000' does not fit 64 bits",
                        "t.tal:5:11: error: invalid number '1_'");
    }

    @Test
    void characterLiteralErrors() {
        assertThat(Asm.errors("main:\n mov al, 'ab'\n mov al, '\\q'\n mov al, '\n")).containsExactly(
                "t.tal:2:10: error: a character literal holds one printable ASCII character or an escape",
                "t.tal:3:11: error: unknown escape sequence '\\q'",
                "t.tal:4:10: error: unterminated character literal");
    }

    @Test
    void deepNestingIsAnErrorNotACrash() {
        String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
        assertThat(Asm.errors("main: mov eax, " + deep + "\n").getFirst())
                .endsWith("error: expression too deeply nested");
        assertThat(Asm.errors("main: mov eax, " + "-".repeat(5000) + "1\n").getFirst())
                .endsWith("error: expression too deeply nested");
    }

    @Test
    void constantsCannotBeLabelsOrRegisters() {
        assertThat(Asm.errors("X equ main + 1\nY equ rax\nmain: mov eax, X\n mov ecx, Y\n")).containsExactly(
                "t.tal:1:7: error: 'main' is an address, not a constant: the code is position-independent "
                        + "(use lea reg, [rel main])",
                "t.tal:2:7: error: register 'rax' is not allowed in a constant (registers go alone or inside [ ])");
    }
}
