package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import ring0.isa.Reg;

class MatcherTest {
    static final TypeEnv ENV = TypeSyntaxTest.env(
            "list", "{int, list}?",
            "list2", "{int, list2}?",
            "ilist", "{int, ilist2}?",
            "ilist2", "{int, ilist}?",
            "blist", "{bytes, blist}?",
            "shape", "{=0, int} + {=1, int, int}",
            "shape2", "{=1, int, int} + {=0, int}",
            "clos", "exists e. {code{rdi: e | code{rax: int | t} :: t}, e}",
            "clos2", "exists f. {code{rdi: f | code{rax: int | u} :: u}, f}");

    static Type t(String text) {
        try {
            return TypeSyntax.parseType(text, ENV);
        } catch (TypeSyntaxException e) {
            throw new AssertionError(text + ": " + e.getMessage());
        }
    }

    static boolean sub(String a, String b) {
        return new Matcher(ENV, List.of()).sub(t(a), t(b));
    }

    @ParameterizedTest(name = "{0} <= {1} is {2}")
    @CsvSource(delimiter = '#', value = {
        "=5 # int # true",
        "int # =5 # false",
        "=5 # =5 # true",
        "=5 # =6 # false",
        "bytes # bytes? # true",
        "=0 # bytes? # true",
        "=1 # bytes? # false",
        "bytes? # bytes # false",
        "int # bytes? # false",
        "{int} # {~int} # true",
        "{~int} # {int} # false",
        "{=1} # {int} # false",
        "{int} # {int, int} # false",
        "[=1] # [int] # false",
        "[int] # [int] # true",
        "{int, list}? # list # true",
        "list # {int, list}? # true",
        "{int, list} # list # true",
        "list # list2 # true",
        "ilist # list # true",
        "list # blist # false",
        "{=0, int} # shape # true",
        "{=1, int, int} # shape # true",
        "{=2, int} # shape # false",
        "{=1, int} # shape # false",
        "shape # shape2 # true",
        "shape # {=0, int} # false",
        "clos # clos2 # true",
        "code{rdi: int | s} # code{rdi: int | t} # true",
        "code{rdi: int | s} # code{rdi: =1 | t} # false",
        "code{rdi: int, rsi: int | s} # code{rdi: int | s} # false",
        "code{rdi: [int], rcx: int | s; rcx < len(rdi)} # code{rdi: [int], rcx: int | s} # false",
        "code{| int :: s} # code{| s} # false",
        "exists a. {a, int} # exists b. {b, int} # true",
        "exists a. {a, int} # exists b. {int, b} # false",
        "exists a. {a, a} # exists a. exists b. {a, b} # false",
    })
    void subtyping(String a, String b, boolean expected) {
        assertThat(sub(a, b)).isEqualTo(expected);
    }

    @Test
    void recursiveComparisonsTerminate() {
        assertThat(sub("ilist", "list2")).isTrue();
        assertThat(sub("list2", "ilist2")).isTrue();
        assertThat(sub("[ilist]", "[list]")).isTrue();
    }

    @Test
    void flexibleVariablesBindOnceAndMustAgree() throws Exception {
        Type.Code p = TypeSyntax.parsePrecondition("{rdi: a, rsi: a, rbx: [a] | s}", ENV);
        TVar a = p.params().get(0);
        Matcher m = new Matcher(ENV, p.params());
        assertThat(m.sub(t("=3"), p.pre().reg(Reg.RDI))).isTrue();
        assertThat(m.subst().apply(new Type.Var(a))).isEqualTo(t("=3"));
        assertThat(m.sub(t("=3"), p.pre().reg(Reg.RSI))).isTrue();
        assertThat(m.sub(t("=4"), p.pre().reg(Reg.RSI))).isFalse();
        // arrays are invariant: [int] does not fit [a] with a = =3
        assertThat(m.sub(t("[int]"), p.pre().reg(Reg.RBX))).isFalse();
        assertThat(m.sub(t("[=3]"), p.pre().reg(Reg.RBX))).isTrue();
    }

    @Test
    void rigidVariablesEqualOnlyThemselves() throws Exception {
        Type.Code p = TypeSyntax.parsePrecondition("{rdi: a, rsi: b | s}", ENV);
        Type a = p.pre().reg(Reg.RDI), b = p.pre().reg(Reg.RSI);
        Matcher rigid = new Matcher(ENV, List.of());
        assertThat(rigid.sub(a, a)).isTrue();
        assertThat(rigid.sub(a, b)).isFalse();
        assertThat(rigid.sub(t("int"), a)).isFalse();
        assertThat(rigid.sub(a, t("int"))).isFalse();
        assertThat(rigid.sub(a, Type.JUNK)).isTrue();
    }

    @Test
    void aFlexibleVariableCannotCaptureABoundOne() throws Exception {
        // pattern exists x. {x, a} with a flexible; actual exists y. {y, y}: a would have to be y
        Type.Code p = TypeSyntax.parsePrecondition("{rdi: exists x. {x, a} | s}", ENV);
        Matcher m = new Matcher(ENV, p.params());
        assertThat(m.sub(t("exists y. {y, y}"), p.pre().reg(Reg.RDI))).isFalse();
        Matcher m2 = new Matcher(ENV, p.params());
        assertThat(m2.sub(t("exists y. {y, int}"), p.pre().reg(Reg.RDI))).isTrue();
    }

    @Test
    void stacksBindTheRestWithEvenDepth() throws Exception {
        Type.Code p = TypeSyntax.parsePrecondition("{| int :: s}", ENV);
        TVar tail = TVar.fresh("r", true);
        Slots three = Slots.of(new Pre.StackT(List.of(t("=1"), t("bytes"), Type.JUNK), tail));
        Matcher m = new Matcher(ENV, p.params());
        assertThat(m.stack(three, 0, p.pre().stack())).isTrue();
        assertThat(m.subst().apply(new Pre.StackT(List.of(), p.pre().stack().tail())))
                .isEqualTo(new Pre.StackT(List.of(t("bytes"), Type.JUNK), tail));
        Slots two = Slots.of(new Pre.StackT(List.of(t("=1"), t("bytes")), tail));
        Matcher odd = new Matcher(ENV, p.params());
        assertThat(odd.stack(two, 0, p.pre().stack())).isFalse();
        assertThat(odd.oddStack).isTrue();
        Slots junkTop = Slots.of(new Pre.StackT(List.of(Type.JUNK, t("bytes"), Type.JUNK), tail));
        assertThat(new Matcher(ENV, p.params()).stack(junkTop, 0, p.pre().stack())).isFalse();
    }

    @Test
    void aStackVariableBoundTwiceMustAgree() throws Exception {
        // a return address mentions s, and s is also the tail
        Type.Code p = TypeSyntax.parsePrecondition("{| code{rax: int | s} :: s}", ENV);
        TVar r = TVar.fresh("r", true), other = TVar.fresh("q", true);
        Type ret = new Type.Code(List.of(), new Pre(List.of(new Pre.RegType(Reg.RAX, Type.INT)), new Pre.StackT(List.of(), r), List.of()));
        Matcher ok = new Matcher(ENV, p.params());
        assertThat(ok.stack(Slots.of(new Pre.StackT(List.of(ret), r)), 0, p.pre().stack())).isTrue();
        Matcher bad = new Matcher(ENV, p.params());
        assertThat(bad.stack(Slots.of(new Pre.StackT(List.of(ret, Type.INT, Type.INT), r)), 0, p.pre().stack())).isFalse();
        Matcher bad2 = new Matcher(ENV, p.params());
        assertThat(bad2.stack(Slots.of(new Pre.StackT(List.of(ret), other)), 0, p.pre().stack())).isFalse();
    }

    @Test
    void nullableOnlyOverPointers() {
        assertThat(sub("=0", "list")).isTrue();
        assertThat(sub("{int, list}", "list")).isTrue();
        assertThat(sub("{int, {int, list}}", "list")).isFalse();
        assertThat(sub("{int, {int, list}?}", "list")).isTrue();
        assertThat(sub("{int, bytes?}", "list")).isFalse();
    }
}
