package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Data directives, byte for byte. */
class DataDirectiveTest {

    private static Program data(String body) {
        return Asm.ok("main: ret\nsection .data\n" + body);
    }

    @Test
    void scalars() {
        Program p = data("""
                a: db 1, 2, "hi", 0xff, -1, 'z'
                b: dw 0x1234, -2
                c: dd 0xdeadbeef
                d: dq -2
                """);
        assertThat(Asm.hex(p.data())).isEqualTo(
                "01 02 68 69 ff ff 7a" + " 34 12 fe ff" + " ef be ad de" + " fe ff ff ff ff ff ff ff");
        assertThat(Asm.symbol(p, "b").imageOffset() - p.dataOffset()).isEqualTo(7);
        assertThat(Asm.symbol(p, "d").imageOffset() - p.dataOffset()).isEqualTo(15);
    }

    @Test
    void stringEscapesAndUtf8() {
        Program p = data("db \"\\n\\t\\r\\0\\\\\\\"\\x41\\xfF'\", \"é\"\n");
        assertThat(Asm.hex(p.data())).isEqualTo("0a 09 0d 00 5c 22 41 ff 27 c3 a9");
    }

    @Test
    void byteArraysAreEightAlignedWithALengthWord() {
        Program p = data("""
                db 9
                msg: bytes "ab", 10
                z: zbytes 3
                """);
        assertThat(Asm.hex(p.data())).isEqualTo(
                "09 00 00 00 00 00 00 00"
                        + " 03 00 00 00 00 00 00 00 61 62 0a"
                        + " 00 00 00 00 00"
                        + " 03 00 00 00 00 00 00 00 00 00 00");
        assertThat(Asm.symbol(p, "msg").imageOffset() - p.dataOffset()).isEqualTo(8);
        assertThat(Asm.symbol(p, "z").imageOffset() - p.dataOffset()).isEqualTo(24);
    }

    @Test
    void aLabelOnItsOwnLineNamesTheAlignedArray() {
        Program p = data("db 1\nmsg:\n    bytes \"x\"\n");
        assertThat(Asm.symbol(p, "msg").imageOffset() - p.dataOffset()).isEqualTo(8);
    }

    @Test
    void wordArrays() {
        Program p = data("db 1\nw: words 1, -1, K\nz: zwords 2\nK equ 0x0102\n");
        assertThat(Asm.hex(p.data())).isEqualTo(
                "01 00 00 00 00 00 00 00"
                        + " 03 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 ff ff ff ff ff ff ff ff 02 01 00 00 00 00 00 00"
                        + " 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
        assertThat(Asm.symbol(p, "z").imageOffset() - p.dataOffset()).isEqualTo(40);
    }

    @Test
    void emptyArrays() {
        Program p = data("e: bytes \"\"\nz: zbytes 0\n");
        assertThat(Asm.hex(p.data())).isEqualTo("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    }

    @Test
    void alignPadsAndLabelsNameWhatFollows() {
        Program p = data("db 1\nx: align 4\ndb 2\nalign 16\ny: db 3\n");
        assertThat(Asm.hex(p.data())).isEqualTo("01 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 03");
        assertThat(Asm.symbol(p, "x").imageOffset() - p.dataOffset()).isEqualTo(4);
        assertThat(Asm.symbol(p, "y").imageOffset() - p.dataOffset()).isEqualTo(16);
    }

    @Test
    void dataIsSixteenAlignedInTheImage() {
        Program p = Asm.ok("import exit\nmain: ret\nsection .data\nalign 16\nv: dq 1\n");
        assertThat(Asm.symbol(p, "v").imageOffset() % 16).isZero();
    }

    @Test
    void labelAtTheEndOfData() {
        Program p = data("db 1, 2\nend:\n");
        assertThat(Asm.symbol(p, "end")).isEqualTo(new Program.Symbol("end", Program.Section.DATA, p.dataOffset() + 2, 0));
    }

    @Test
    void errors() {
        assertThat(Asm.errors("""
                main: ret
                section .data
                db 256
                dw 0x10000, "s"
                bytes 1, 256
                bytes -1
                zbytes -1
                align 3
                align 32
                dd main
                db
                zwords 1, 2
                zbytes 0x7fffffff
                """)).containsExactly(
                "t.tal:3:4: error: value 256 does not fit byte",
                "t.tal:4:4: error: value 65536 does not fit word",
                "t.tal:5:10: error: byte array item 256 is out of range 0..255",
                "t.tal:6:7: error: byte array item -1 is out of range 0..255",
                "t.tal:7:8: error: 'zbytes -1' is out of range (0 to the 64 MiB data limit)",
                "t.tal:8:7: error: align 3: must be a power of two from 1 to 16",
                "t.tal:9:7: error: align 32: must be a power of two from 1 to 16",
                "t.tal:10:4: error: label 'main' in data: absolute addresses are not supported (the code is "
                        + "position-independent; compute addresses at run time with lea reg, [rel main])",
                "t.tal:11:1: error: 'db' needs at least one item",
                "t.tal:12:1: error: 'zwords' takes one value",
                "t.tal:13:8: error: 'zbytes 2147483647' is out of range (0 to the 64 MiB data limit)");
    }

    @Test
    void stringsOnlyInDbAndBytes() {
        assertThat(Asm.errors("main: ret\nsection .data\ndw \"ab\"\n"))
                .containsExactly("t.tal:3:4: error: strings are only allowed in 'db' and 'bytes'");
    }

    @Test
    void dataNotAllowedInTextAndCodeNotInData() {
        assertThat(Asm.errors("main: ret\ndb 1\nsection .data\n  nop\n")).containsExactly(
                "t.tal:2:1: error: data directive 'db' is not allowed in .text (the checker accepts only "
                        + "instructions there): put it in .data",
                "t.tal:4:3: error: instructions are not allowed in .data");
    }
}
