package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesWhatAReaderReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\nd\u0001");
        m.put("n", List.of(1, 2.5, 1.0 / 3, -0.0, 1e6));
        m.put("b", true);
        m.put("z", null);
        m.put("nan", Double.NaN);
        m.put("o", Map.of());
        String text = Json.write(m);
        assertThat(text).startsWith("{\"s\":").contains("\"n\":[1,2.5,0.333,0,1000000]").contains("\"nan\":null");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c\nd\u0001");
        expected.put("n", List.of(1.0, 2.5, 0.333, 0.0, 1e6));
        expected.put("b", true);
        expected.put("z", null);
        expected.put("nan", null);
        expected.put("o", Map.of());
        assertThat(MiniJson.parse(text)).isEqualTo(expected);
    }

    @Test
    void keepsTheOrderOfKeys() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : Arrays.asList("z", "a", "m")) m.put(k, 1);
        assertThat(Json.write(m)).isEqualTo("{\"z\":1,\"a\":1,\"m\":1}");
    }
}
