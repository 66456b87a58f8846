package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ring0.verify.TypesSectionTest.W;

/**
 * The check that label and data label names all differ, with more names than
 * the name table starts with (it is sized for the code labels), so the table
 * grows while data labels are read, and with names whose hashes collide.
 */
class TypesSectionNamesTest {
    private static final int LABELS = 3, DATA = 500;

    /** A section with {@link #LABELS} code labels and the given data label names. */
    private static W section(String... dataNames) {
        W w = new W().magic().u32(0).u32(LABELS);
        for (int i = 0; i < LABELS; i++) w.u32(8 + 16L * i).str("f" + i).str(TypesSectionTest.MAIN);
        w.u32(dataNames.length);
        for (int i = 0; i < dataNames.length; i++) w.u32(0x2000 + 8L * i).str(dataNames[i]).u8(3).u64(1);
        return w;
    }

    private static String[] distinct(int n) {
        String[] r = new String[n];
        for (int i = 0; i < n; i++) r[i] = "d" + i;
        return r;
    }

    @Test
    void manyDistinctNamesAreAccepted() throws Exception {
        TypesSection t = TypesSection.read(section(distinct(DATA)).u32(0).bytes());
        assertThat(t.data()).hasSize(DATA);
        assertThat(t.data().getLast().name()).isEqualTo("d" + (DATA - 1));
    }

    @Test
    void aDuplicateAfterTheTableGrewIsRejected() {
        for (String dup : new String[] {"f0", "f2", "d0", "d17", "d" + (DATA - 1)}) {
            String[] names = distinct(DATA + 1);
            names[DATA] = dup;
            W w = section(names);
            // the last record: offset word, then the name, then kind and length (13 bytes)
            int nameAt = w.size() - (4 + dup.length()) - 9;
            TypesSectionTest.bad(w.u32(0).bytes(), nameAt, "label " + dup + " is declared twice");
        }
    }

    @Test
    void namesWithEqualHashesAreTold() throws Exception {
        // "Aa" and "BB" have the same String hash, as do all their concatenations.
        String[] names = {"AaAa", "AaBB", "BBAa", "BBBB", "AaAaAa", "BBBBBB"};
        assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode());
        assertThat(TypesSection.read(section(names).u32(0).bytes()).data()).hasSize(names.length);
        String[] dup = {"AaAa", "AaBB", "BBAa", "BBBB", "AaBB"};
        W w = section(dup);
        TypesSectionTest.bad(w.u32(0).bytes(), w.size() - 4 - 9 - 8, "label AaBB is declared twice");
    }
}
