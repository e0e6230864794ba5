"""Sessions as iCalendar events (`ics`) and as Google Calendar and Outlook web links
(`links`): pure functions of `bot.domain.calendar.SessionEvent`."""
