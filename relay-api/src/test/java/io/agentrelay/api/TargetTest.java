package io.agentrelay.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetTest {

    @Test
    void parsesEveryKindAndRendersItBack() {
        assertThat(Target.parse("alice")).isEqualTo(new Target.Agent("alice"));
        assertThat(Target.parse("tag:review")).isEqualTo(new Target.Tag("review"));
        assertThat(Target.parse("cap:java")).isEqualTo(new Target.Capability("java"));
        assertThat(Target.parse("label:builder")).isEqualTo(new Target.Label("builder"));
        assertThat(Target.parse("pool:workers")).isEqualTo(new Target.Pool("workers"));
        assertThat(Target.parse("policy:nightly")).isEqualTo(new Target.Policy("nightly"));
        assertThat(Target.parse("broadcast")).isSameAs(Target.Broadcast.INSTANCE);
        for (String wire : new String[] {"alice", "tag:review", "cap:java", "label:builder", "pool:w", "policy:p", "broadcast"}) {
            assertThat(Target.parse(wire).wire()).isEqualTo(wire);
        }
    }

    @Test
    void prefixesAreCaseInsensitiveAndRenderedLowerCase() {
        assertThat(Target.parse("TAG:Review").wire()).isEqualTo("tag:Review");
        assertThat(Target.parse("BroadCast")).isSameAs(Target.Broadcast.INSTANCE);
    }

    @Test
    void anUnknownPrefixIsPartOfAnAgentId() {
        assertThat(Target.parse("host:proj:abc")).isEqualTo(new Target.Agent("host:proj:abc"));
    }

    @Test
    void aLabelNameMayHaveSpacesAndIsTrimmed() {
        assertThat(Target.parse("label:test writer")).isEqualTo(new Target.Label("test writer"));
        assertThat(Target.parse("LABEL:  backend fixer ").wire()).isEqualTo("label:backend fixer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "tag:", "cap:", "a b", "x\ty", "tag:a b", "label: ", "label:a\tb", "label:a\nb"})
    void rejectsMalformedTargets(String wire) {
        assertThatThrownBy(() -> Target.parse(wire)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOverlongTargets() {
        assertThatThrownBy(() -> Target.parse("a".repeat(Target.MAX_LENGTH + 1)))
                .hasMessageContaining("at most 200");
    }
}
