// Support meetings (issue 20, docs/meetings.md): meetings, their named members and
// acknowledgements, minutes and decisions each have a unique id; meetings are listed by
// their convening organisation and, for auditors, by area.
CREATE CONSTRAINT support_meeting_id IF NOT EXISTS
FOR (m:SupportMeeting) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT meeting_member_id IF NOT EXISTS
FOR (p:MeetingMember) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT meeting_minutes_id IF NOT EXISTS
FOR (x:MeetingMinutes) REQUIRE x.id IS UNIQUE;
CREATE CONSTRAINT meeting_decision_id IF NOT EXISTS
FOR (d:MeetingDecision) REQUIRE d.id IS UNIQUE;
CREATE INDEX support_meeting_organisation IF NOT EXISTS
FOR (m:SupportMeeting) ON (m.organisationId);
CREATE INDEX support_meeting_area IF NOT EXISTS
FOR (m:SupportMeeting) ON (m.areaCode);
