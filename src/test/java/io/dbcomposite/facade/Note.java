package io.dbcomposite.facade;

/** What every note entity of this model implements: a polymorphic query over it spans entities routed to different sides. */
public interface Note {
    Long getId();

    String getText();

    void setText(String text);
}
