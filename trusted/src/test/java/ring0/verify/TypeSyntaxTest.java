package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import ring0.isa.Reg;

class TypeSyntaxTest {
    static final TypeEnv LIST = env("list", "{int, list}?");

    static TypeEnv env(String... nameDef) {
        try {
            List<TypeSyntax.Definition> defs = new java.util.ArrayList<>();
            for (int i = 0; i < nameDef.length; i += 2) defs.add(new TypeSyntax.Definition(nameDef[i], nameDef[i + 1]));
            return TypeSyntax.parseDefinitions(defs);
        } catch (TypeSyntaxException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "=5", "=-1", "bytes", "[int]", "[[bytes]]", "{int, ~bytes}", "{int}?", "bytes?",
        "code{rdi: int | s}", "code{| code{rax: int | s} :: s}", "code{rdi: [int], rcx: int | junk :: s; rcx < len(rdi)}",
        "exists a. {a, int}", "exists a. {code{rdi: a | s}, a}", "list", "[list]"})
    void typesRoundTrip(String text) throws Exception {
        Type t = TypeSyntax.parseType(text, LIST);
        assertThat(Show.type(t)).isEqualTo(text);
        assertThat(Show.type(TypeSyntax.parseType(Show.type(t), LIST))).isEqualTo(text);
    }

    @Test
    void numbersAreCanonical() throws Exception {
        assertThat(TypeSyntax.parseType("=0xff", TypeEnv.EMPTY)).isEqualTo(new Type.Single(255));
        assertThat(TypeSyntax.parseType("=0xFFFFFFFFFFFFFFFF", TypeEnv.EMPTY)).isEqualTo(new Type.Single(-1));
        assertThat(TypeSyntax.parseType("=18446744073709551615", TypeEnv.EMPTY)).isEqualTo(new Type.Single(-1));
        assertThat(TypeSyntax.parseType("=-9223372036854775808", TypeEnv.EMPTY)).isEqualTo(new Type.Single(Long.MIN_VALUE));
    }

    @Test
    void labelVariablesAreQuantifiedAtTheLabelIncludingInsideReturnTypes() throws Exception {
        Type.Code c = TypeSyntax.parsePrecondition("{rdi: int, rbx: b | code{rax: int, rbx: b | s} :: s}", TypeEnv.EMPTY);
        assertThat(c.params()).extracting(TVar::name).containsExactly("b", "s");
        assertThat(c.params().get(1).stack()).isTrue();
        Type.Code ret = (Type.Code) c.pre().stack().slots().get(0);
        assertThat(ret.params()).isEmpty();
        assertThat(ret.pre().reg(Reg.RBX)).isEqualTo(c.pre().reg(Reg.RBX));
        assertThat(ret.pre().stack().tail()).isEqualTo(c.pre().stack().tail());
    }

    @Test
    void inADefinitionTheOutermostCodeTypeQuantifies() throws Exception {
        TypeEnv e = env("clos", "exists e. {code{rdi: e | code{rax: int | t} :: t}, e}");
        Type.Exists ex = (Type.Exists) e.definition("clos");
        Type.Rec r = (Type.Rec) ex.body();
        Type.Code c = (Type.Code) r.fields().get(0).type();
        assertThat(c.params()).extracting(TVar::name).containsExactly("t");
        assertThat(c.pre().reg(Reg.RDI)).isEqualTo(new Type.Var(ex.var()));
        assertThat(r.fields().get(1).type()).isEqualTo(new Type.Var(ex.var()));
    }

    @Test
    void sumsAndRecursion() throws Exception {
        TypeEnv e = env("tree", "leaf + node", "leaf", "{=0}", "node", "{=1, int, tree, tree}");
        assertThat(e.definition("tree")).isInstanceOf(Type.Sum.class);
        assertThat(e.variant((Type.Sum) e.definition("tree"), 1).fields()).hasSize(4);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', quoteCharacter = '"', value = {
        "{int,                 # 5 # expected a type",
        "[int # 4 # expected ']'",
        "int?? # 4 # a type can be made nullable only once",
        "=x # 1 # expected a number after '='",
        "code{rdi: int} # 13 # expected '|'",
        "code{rdi: int | } # 16 # expected a type",
        "code{rsp: int | s} # 5 # expected a 64-bit register other than rsp",
        "code{eax: int | s} # 5 # expected a 64-bit register other than rsp",
        "code{rdi: int, rdi: int | s} # 15 # rdi is listed twice",
        "code{| int :: s ; rdi < 5} # 18 # fact mentions rdi, which the precondition does not list",
        "code{rdi: int | s; rdi < len(rdi)} # 0 # len(rdi) needs an array or bytes register",
        "code{rdi: s | s} # 14 # s is used both as a stack variable and as a type variable",
        "{int} @ # 6 # unexpected character '@'",
        "=99999999999999999999 # 1 # number does not fit in 64 bits",
        "int + bytes # 0 # a sum type is only allowed as the whole definition of a named type",
        "int? # 0 # int? is not allowed: only a pointer type can be nullable",
        "a # 0 # unbound type variable a",
        "junk # 0 # junk is only allowed as a stack slot",
        "{} # 1 # expected a type",
        "exists int. int # 7 # bad variable name: 'int' is a reserved word",
        "[int] [int] # 6 # unexpected text after the end",
        "code{| int :: } # 14 # expected a type",
    })
    void malformedTypes(String text, int position, String reason) {
        assertThatThrownBy(() -> TypeSyntax.parseType(text, TypeEnv.EMPTY))
                .isInstanceOfSatisfying(TypeSyntaxException.class, e -> {
                    assertThat(e.reason()).startsWith(reason);
                    assertThat(e.position()).isEqualTo(position);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a | a?                      | 0 | a? is not allowed",
        "a | {=1} + {=1, int}        | 0 | sum variants share the tag =1",
        "a | {=1} + int              | 0 | sum variant int is not a record",
        "a | {int} + {=1}            | 0 | sum variant {int} does not start with a singleton tag",
        "a | {x}                     | 0 | unbound type variable x",
        "int | {int}                 | 0 | bad type name: 'int' is a reserved word",
        "rax | {int}                 | 0 | bad type name: 'rax' is a register name",
        "a | exists b. a             | 0 | the body of exists b must not be a bare type name",
    })
    void malformedDefinitions(String name, String def, int item, String reason) {
        assertThatThrownBy(() -> TypeSyntax.parseDefinitions(List.of(new TypeSyntax.Definition(name, def))))
                .isInstanceOfSatisfying(TypeSyntaxException.class, e -> {
                    assertThat(e.reason()).startsWith(reason);
                    assertThat(e.item()).isEqualTo(item);
                });
    }

    @Test
    void nonContractive() {
        assertThatThrownBy(() -> TypeSyntax.parseDefinitions(List.of(new TypeSyntax.Definition("a", "b"),
                new TypeSyntax.Definition("b", "a"))))
                .isInstanceOfSatisfying(TypeSyntaxException.class, e -> {
                    assertThat(e.reason()).startsWith("type a is not contractive");
                    assertThat(e.item()).isEqualTo(0);
                });
    }

    @Test
    void duplicateDefinition() {
        assertThatThrownBy(() -> TypeSyntax.parseDefinitions(List.of(new TypeSyntax.Definition("a", "{int}"),
                new TypeSyntax.Definition("a", "{int}"))))
                .isInstanceOfSatisfying(TypeSyntaxException.class, e -> {
                    assertThat(e.reason()).isEqualTo("type a is defined twice");
                    assertThat(e.item()).isEqualTo(1);
                });
    }

    @Test
    void coercions() throws Exception {
        Type.Code label = TypeSyntax.parsePrecondition("{rbx: b | s}", LIST);
        TVar b = label.params().get(0);
        assertThat(TypeSyntax.parseCoercion("unpack rax", LIST, label)).isEqualTo(new Coercion.Unpack(Reg.RAX));
        assertThat(TypeSyntax.parseCoercion("as rcx : {b}?", LIST, label))
                .isEqualTo(new Coercion.As(Reg.RCX, new Type.Opt(new Type.Rec(List.of(new Type.Field(new Type.Var(b), true))))));
        assertThat(TypeSyntax.parseCoercion("alloc {int, list}", LIST, label)).isInstanceOf(Coercion.Alloc.class);
        assertThat(TypeSyntax.parseCoercion("pack rdx as exists a. {a, b}", LIST, label)).isInstanceOf(Coercion.Pack.class);
        assertThatThrownBy(() -> TypeSyntax.parseCoercion("pack rdx as {int}", LIST, label))
                .hasMessageContaining("pack needs an exists type");
        assertThatThrownBy(() -> TypeSyntax.parseCoercion("alloc int", LIST, label)).hasMessageContaining("alloc needs a record type");
        assertThatThrownBy(() -> TypeSyntax.parseCoercion("as rax : c", LIST, label)).hasMessageContaining("unbound type variable c");
        assertThatThrownBy(() -> TypeSyntax.parseCoercion("unpack rsp", LIST, label)).hasMessageContaining("other than rsp");
        assertThatThrownBy(() -> TypeSyntax.parseCoercion("%unpack rax", LIST, label)).hasMessageContaining("unexpected character '%'");
    }

    @Test
    void declarations() throws Exception {
        assertThat(TypeSyntax.parseDeclaration("type list = {int, list}?"))
                .isEqualTo(new TypeSyntax.Definition("list", "{int, list}?"));
        assertThatThrownBy(() -> TypeSyntax.parseDeclaration("type = int")).hasMessageContaining("expected a type name");
    }

    /** The parser is total: on any text it returns or throws its own exception, never an internal error. */
    @Test
    void totalOnRandomText() {
        Random rnd = new Random(7);
        String alphabet = "{}[]()|:;,?~+=.<>!-sxa0123 intbytescodeexistsjunklenrdirsirax\u00e9\n";
        String[] seeds = {"{rdi: [int], rcx: int | code{rax: int | s} :: s; rcx < len(rdi)}", "exists a. {code{rdi: a | s}, a}?"};
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder(seeds[i % 2]);
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(sb.length() + 1);
                if (rnd.nextBoolean() && at < sb.length()) sb.deleteCharAt(at);
                else sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            for (int mode = 0; mode < 2; mode++) {
                try {
                    if (mode == 0) TypeSyntax.parsePrecondition(text, LIST);
                    else TypeSyntax.parseType(text, LIST);
                } catch (TypeSyntaxException e) {
                    assertThat(e.reason()).as(text).doesNotStartWith("internal");
                    assertThat(e.position()).isBetween(0, text.length());
                }
            }
        }
    }

    @Test
    void deepNestingIsRejectedNotOverflowed() {
        String deep = "[".repeat(100_000) + "int" + "]".repeat(100_000);
        assertThatThrownBy(() -> TypeSyntax.parseType(deep, TypeEnv.EMPTY)).hasMessageContaining("type nested too deeply");
    }
}
