package ring0.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsTest {

    private static Labels sample() {
        Labels l = new Labels();
        l.add(new Labels.Label("main", 0x1000, 0));       // empty: main.loop follows at once
        l.add(new Labels.Label("main.loop", 0x1000, 0x20));
        l.add(new Labels.Label("helper", 0x1020, 0x10));
        l.add(new Labels.Label("msg", 0x2010, 0x15));
        return l;
    }

    @Test
    void exactAddressNamesTheFirstLabelThere() {
        assertThat(sample().describe(0x1000)).isEqualTo("main");
        assertThat(sample().describe(0x1020)).isEqualTo("helper");
    }

    @Test
    void insideAddressIsAnOffsetFromTheCoveringLabel() {
        assertThat(sample().describe(0x1004)).isEqualTo("main.loop+0x4");
        assertThat(sample().describe(0x102f)).isEqualTo("helper+0xf");
        assertThat(sample().describe(0x2018)).isEqualTo("msg+0x8");
    }

    @Test
    void uncoveredAddressesHaveNoName() {
        assertThat(sample().describe(0xfff)).isNull();
        assertThat(sample().describe(0x1030)).as("one past helper").isNull();
        assertThat(sample().describe(0x2025)).as("one past msg").isNull();
    }

    @Test
    void labelsStrictlyInsideARange() {
        Labels l = sample();
        assertThat(l.between(0x1000, 0x1020)).isEmpty();
        assertThat(l.between(0x101e, 0x1022)).extracting(Labels.Label::name).containsExactly("helper");
        assertThat(l.at(0x1000)).extracting(Labels.Label::name).containsExactly("main", "main.loop");
    }

    @Test
    void rejectedSystemCallsAreSkippedWhole() {
        assertThat(Listing.rejectedLength(new byte[] {0x0f, 0x05, 0}, 0)).isEqualTo(2);
        assertThat(Listing.rejectedLength(new byte[] {(byte) 0xcd, (byte) 0x80}, 0)).isEqualTo(2);
        assertThat(Listing.rejectedLength(new byte[] {(byte) 0xf4, 0x0f, 0x05}, 0)).isEqualTo(1);
        assertThat(Listing.rejectedLength(new byte[] {0x0f}, 0)).as("truncated").isEqualTo(1);
    }
}
