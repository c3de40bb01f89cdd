-- 0021 breach register: the register of personal-data breaches GDPR art.
-- 33(5) requires (issue 11), newest first, whatever the share of such
-- incidents among all: an index of exactly those incidents.
CREATE INDEX incident_personal ON incident(org_id, archived, reported_at, id)
  WHERE personal_data = 'yes' OR duty_personal = 1;
