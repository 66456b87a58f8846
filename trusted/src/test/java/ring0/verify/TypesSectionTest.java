package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TypesSectionTest {
    /** A section writer: each method appends one field. */
    static final class W {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        W magic() { b.writeBytes("R0TYPES\0".getBytes(StandardCharsets.US_ASCII)); return u32(1); }
        W u32(long v) { TestProgram.le(b, v, 4); return this; }
        W u64(long v) { TestProgram.le(b, v, 8); return this; }
        W u8(int v) { b.write(v); return this; }
        W str(String s) { TestProgram.str(b, s); return this; }
        W raw(int... bytes) { for (int x : bytes) b.write(x); return this; }
        int size() { return b.size(); }
        byte[] bytes() { return b.toByteArray(); }
    }

    static final String MAIN = "{| code{rax: int | s} :: s}";

    @Test
    void readsEveryKindOfRecord() throws Exception {
        byte[] s = new W().magic()
                .u32(1).str("list").str("{int, list}?")
                .u32(2).u32(8).str("main").str(MAIN).u32(40).str("loop").str("{rbx: list | code{rax: int | s} :: s}")
                .u32(2).u32(0x2000).str("msg").u8(1).u64(5).u32(0x2010).str("count").u8(3).u64(1)
                .u32(1).u32(50).str("as rbx : list")
                .bytes();
        TypesSection t = TypesSection.read(s);
        assertThat(t.env().defines("list")).isTrue();
        assertThat(t.labels()).extracting(TypesSection.LabelDecl::name).containsExactly("main", "loop");
        assertThat(t.labels().get(1).at()).isEqualTo(12 + 4 + 8 + 4 + 12 + 4 + 4 + 8 + 4 + MAIN.length());
        assertThat(t.data()).extracting(TypesSection.DataDecl::kind)
                .containsExactly(TypesSection.DataKind.BYTES, TypesSection.DataKind.WORD);
        assertThat(t.data().get(0).size()).isEqualTo(13);
        assertThat(t.coercions().get(0).label()).isEqualTo(1);
        assertThat(t.coercions().get(0).coercion()).isInstanceOf(Coercion.As.class);
    }

    static void bad(byte[] section, int offset, String reason) {
        assertThatThrownBy(() -> TypesSection.read(section))
                .isInstanceOfSatisfying(TypesSectionException.class, e -> {
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.offset()).isEqualTo(offset);
                });
    }

    @Test
    void badHeader() {
        bad(new byte[0], 0, "section ends inside the magic");
        bad(new W().raw('R', '0', 'T', 'Y', 'P', 'E', 'Z', 0).u32(1).bytes(), 0, "bad magic");
        bad(new W().raw('R', '0', 'T', 'Y', 'P', 'E', 'S', 0).u32(2).bytes(), 8, "version 2 is not supported");
        bad(new W().magic().bytes(), 12, "section ends inside the type count");
        bad(new W().magic().u32(0).u32(0).u32(0).bytes(), 24, "section ends inside the coercion count");
    }

    @Test
    void countsThatCannotFit() {
        bad(new W().magic().u32(0xFFFF_FFFFL).bytes(), 12, "type count 4294967295 exceeds the section");
        bad(new W().magic().u32(0).u32(1000).u32(0).bytes(), 16, "label count 1000 exceeds the section");
    }

    @Test
    void badStrings() {
        bad(new W().magic().u32(1).u32(100).raw(1, 2, 3, 4, 5, 6).bytes(), 16, "type name runs past the end of the section");
        bad(new W().magic().u32(1).u32(2).raw(0xC3, 0x28).str("int").u32(0).u32(0).u32(0).bytes(), 16, "type name is not valid UTF-8");
    }

    @Test
    void badTypeDefinitionPointsAtItsRecord() {
        W w = new W().magic().u32(2).str("a").str("{int}");
        int second = w.size();
        bad(w.str("b").str("{int").u32(0).u32(0).u32(0).bytes(), second, "type b: at 4: expected '}'");
    }

    @Test
    void labels() {
        W w = new W().magic().u32(0).u32(2).u32(8).str("main").str(MAIN);
        int second = w.size();
        bad(w.u32(8).str("x").str(MAIN).u32(0).u32(0).bytes(), second, "label x does not come after the previous label");

        w = new W().magic().u32(0).u32(1);
        bad(w.u32(8).str("main").str("{| int}").u32(0).u32(0).bytes(), 20, "precondition of main: at 6: expected '::'");

        w = new W().magic().u32(0).u32(2).u32(8).str("main").str(MAIN);
        second = w.size();
        bad(w.u32(20).str("main").str(MAIN).u32(0).u32(0).bytes(), second + 4, "label main is declared twice");

        bad(new W().magic().u32(0).u32(1).u32(8).str("a b").str(MAIN).u32(0).u32(0).bytes(), 24, "label name is not printable ASCII");
        bad(new W().magic().u32(0).u32(1).u32(0x8000_0000L).str("a").str(MAIN).u32(0).u32(0).bytes(), 20, "image offset out of range");
    }

    @Test
    void dataLabels() {
        W w = new W().magic().u32(0).u32(0).u32(1).u32(0x2000).str("d");
        int kindAt = w.size();
        bad(w.u8(4).u64(1).u32(0).bytes(), kindAt, "unknown data kind 4 of d");

        w = new W().magic().u32(0).u32(0).u32(1).u32(0x2000).str("d").u8(3);
        int lenAt = w.size();
        bad(w.u64(8).u32(0).bytes(), lenAt, "bad length 8 of data label d");

        w = new W().magic().u32(0).u32(0).u32(1).u32(0x2000).str("d").u8(2);
        lenAt = w.size();
        bad(w.u64(-1).u32(0).bytes(), lenAt, "bad length 18446744073709551615 of data label d");

        w = new W().magic().u32(0).u32(0).u32(2).u32(0x2000).str("d").u8(3).u64(1);
        int second = w.size();
        bad(w.u32(0x1000).str("e").u8(3).u64(1).u32(0).bytes(), second, "data label e does not come after the previous data label");
    }

    @Test
    void coercions() {
        W w = new W().magic().u32(0).u32(1).u32(20).str("main").str(MAIN).u32(0).u32(2);
        int first = w.size();
        bad(w.u32(10).str("unpack rax").u32(30).str("unpack rax").bytes(), first, "coercion before the first label");

        w = new W().magic().u32(0).u32(1).u32(8).str("main").str(MAIN).u32(0).u32(2).u32(30).str("unpack rax");
        int second = w.size();
        bad(w.u32(20).str("unpack rax").bytes(), second, "coercions are not in offset order");

        w = new W().magic().u32(0).u32(1).u32(8).str("main").str("{rbx: b | s}").u32(0).u32(1);
        first = w.size();
        bad(w.u32(20).str("as rax : c").bytes(), first, "coercion 'as rax : c': at 9: unbound type variable c");
    }

    @Test
    void trailingBytes() {
        byte[] ok = new W().magic().u32(0).u32(0).u32(0).u32(0).bytes();
        byte[] longer = Arrays.copyOf(ok, ok.length + 1);
        bad(longer, ok.length, "trailing bytes after the last record");
    }

    /** Random damage to a valid section never produces anything but a TypesSectionException (or success). */
    @Test
    void totalOnDamagedSections() {
        byte[] good = new W().magic()
                .u32(2).str("list").str("{int, list}?").str("clos").str("exists e. {code{rdi: e | code{rax: int | t} :: t}, e}")
                .u32(2).u32(8).str("main").str(MAIN).u32(40).str("loop").str("{rbx: list, rcx: [int] | code{rax: int | s} :: s; 3 < len(rcx)}")
                .u32(1).u32(0x2000).str("msg").u8(1).u64(5)
                .u32(2).u32(50).str("as rbx : list").u32(60).str("alloc {int, list}")
                .bytes();
        Random rnd = new Random(11);
        for (int i = 0; i < 20000; i++) {
            byte[] s = good.clone();
            int n = 1 + rnd.nextInt(3);
            for (int k = 0; k < n; k++) s[rnd.nextInt(s.length)] = (byte) rnd.nextInt(256);
            if (rnd.nextInt(8) == 0) s = Arrays.copyOf(s, rnd.nextInt(s.length));
            try {
                TypesSection.read(s);
            } catch (TypesSectionException e) {
                assertThat(e.reason()).doesNotContain("internal");
                assertThat(e.offset()).isBetween(0, s.length);
            }
        }
    }
}
