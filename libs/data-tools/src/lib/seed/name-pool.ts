import type { Weighted } from '../shared/prng';

/**
 * Vocabulary of the seed. Names deliberately carry diacritics, strokes and ligatures (José,
 * Ñúñez, Zoë, Øystein, Łukasz, Straße) so search normalization is exercised by the demo data,
 * not only by unit tests.
 */
export const FIRST_NAMES: readonly string[] = [
  'José', 'María', 'Zoë', 'Øystein', 'Łukasz', 'Małgorzata', 'Renée', 'François', 'Chloé', 'Håkon',
  'Åsa', 'Björn', 'Jürgen', 'Jörg', 'Sören', 'Anaïs', 'Noémie', 'Inès', 'Thaïs', 'Raphaël',
  'Zoltán', 'Gábor', 'Dávid', 'Tomáš', 'Jiří', 'Dušan', 'Đorđe', 'Ivana', 'Şeyma', 'Çağla',
  'İlker', 'Ömer', 'Leilani', 'Siobhán', 'Seán', 'Aoife', 'Niamh', 'Dagný', 'Þórunn', 'Sigríður',
  'João', 'Conceição', 'Íñigo', 'Begoña', 'Ángel', 'Lucía', 'Núria', 'Joan', 'Mireia', 'Aitana',
  'Anna', 'Ben', 'Carla', 'Daniel', 'Emma', 'Felix', 'Grace', 'Hannah', 'Isaac', 'Julia',
  'Kevin', 'Laura', 'Michael', 'Nora', 'Oliver', 'Priya', 'Quentin', 'Rachel', 'Samuel', 'Tara',
  'Umar', 'Valentina', 'William', 'Xavier', 'Yuki', 'Zara', 'Robert', 'Katherine', 'Elizabeth', 'Alexander',
  'Margaret', 'Francisco', 'Aleksandra', 'Wei', 'Mei', 'Hiroshi', 'Sakura', 'Arjun', 'Ananya', 'Kwame',
  'Amara', 'Chinedu', 'Fatima', 'Youssef', 'Leila', 'Mateo', 'Camila', 'Santiago', 'Ximena', 'Olga',
];

export const LAST_NAMES: readonly string[] = [
  'Ñúñez', 'Müller', 'Straße', 'Łukasiewicz', 'Nørgaard', 'Søndergaard', 'Ødegård', 'Åberg', 'Öztürk', 'Çelik',
  'Yılmaz', 'Şahin', 'Dvořák', 'Novák', 'Černý', 'Horváth', 'Kovačević', 'Đurić', 'Wiśniewska', 'Wójcik',
  'Gonçalves', 'Magalhães', 'Peña', 'Muñoz', 'Ibáñez', 'García', 'Fernández', 'López', 'Martínez', 'Rodríguez',
  'Lefèvre', 'Bérubé', 'Gauthier', 'Côté', 'Dubois', 'Lemaître', 'Schäfer', 'Schröder', 'Weiß', 'Fußmann',
  'Ó Briain', "O'Connor", 'Mac Giolla', 'Þórsdóttir', 'Guðmundsson', 'Jónsdóttir', 'Virtanen', 'Mäkinen', 'Hämäläinen', 'Kärkkäinen',
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
  'Nakamura', 'Tanaka', 'Suzuki', 'Wang', 'Li', 'Zhang', 'Chen', 'Patel', 'Sharma', 'Gupta',
  'Okafor', 'Mensah', 'Haddad', 'El-Amin', 'Van der Berg', 'De Vries', 'Jansen', 'Bakker', 'Rossi', 'Bianchi',
];

/** Preferred names, so `displayName` (and its search keys) is not always just the legal name. */
export const NICKNAMES: Readonly<Record<string, string>> = {
  Robert: 'Bob',
  Katherine: 'Kate',
  Elizabeth: 'Liz',
  Alexander: 'Sasha',
  Margaret: 'Maggie',
  Francisco: 'Paco',
  José: 'Pepe',
  Aleksandra: 'Ola',
  Małgorzata: 'Gosia',
  William: 'Bill',
  Michael: 'Mike',
  Samuel: 'Sam',
  Valentina: 'Vale',
};

export interface DepartmentSpec {
  name: string;
  /** Titles of people without reports. */
  titles: readonly string[];
  /** Title of a first-line manager in this department. */
  managerTitle: string;
  /** Direct reports per manager [min, max]; compounding per level, it sets the department's size. */
  span: readonly [number, number];
}

/** The CEO's department; every other department hangs below one of the CEO's direct reports. */
export const EXECUTIVE_DEPARTMENT = 'Executive Office';

/** IT and People heads administer the directory; see `isAdminPosition`. */
export const ADMIN_DEPARTMENTS: readonly string[] = ['IT', 'People'];

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  {
    name: 'Engineering',
    titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Site Reliability Engineer', 'QA Engineer'],
    managerTitle: 'Engineering Manager', span: [6, 12],
  },
  { name: 'Product', titles: ['Product Manager', 'Senior Product Manager', 'Product Analyst'], managerTitle: 'Group Product Manager', span: [4, 8] },
  { name: 'Design', titles: ['Product Designer', 'UX Researcher', 'Content Designer'], managerTitle: 'Design Manager', span: [3, 7] },
  { name: 'Sales', titles: ['Account Executive', 'Sales Development Representative', 'Solutions Engineer'], managerTitle: 'Sales Manager', span: [5, 11] },
  { name: 'Marketing', titles: ['Marketing Specialist', 'Content Strategist', 'Growth Analyst'], managerTitle: 'Marketing Manager', span: [4, 8] },
  { name: 'Customer Success', titles: ['Support Specialist', 'Customer Success Manager', 'Technical Support Engineer'], managerTitle: 'Support Team Lead', span: [5, 10] },
  { name: 'Finance', titles: ['Accountant', 'Financial Analyst', 'Controller'], managerTitle: 'Finance Manager', span: [3, 6] },
  { name: 'People', titles: ['People Partner', 'Recruiter', 'Learning Specialist'], managerTitle: 'People Manager', span: [3, 6] },
  { name: 'Legal', titles: ['Legal Counsel', 'Paralegal', 'Compliance Analyst'], managerTitle: 'Legal Manager', span: [2, 5] },
  { name: 'IT', titles: ['IT Support Engineer', 'Systems Administrator', 'Security Engineer'], managerTitle: 'IT Manager', span: [3, 7] },
  { name: 'Operations', titles: ['Operations Analyst', 'Office Manager', 'Procurement Specialist'], managerTitle: 'Operations Manager', span: [3, 7] },
];

export interface LocationSpec {
  name: string;
  /** Country calling code, for plausible phone numbers. */
  callingCode: string;
}

export const LOCATIONS: readonly Weighted<LocationSpec>[] = [
  { value: { name: 'São Paulo, Brazil', callingCode: '55' }, weight: 6 },
  { value: { name: 'Zürich, Switzerland', callingCode: '41' }, weight: 5 },
  { value: { name: 'München, Germany', callingCode: '49' }, weight: 8 },
  { value: { name: 'Kraków, Poland', callingCode: '48' }, weight: 7 },
  { value: { name: 'Malmö, Sweden', callingCode: '46' }, weight: 4 },
  { value: { name: 'Montréal, Canada', callingCode: '1' }, weight: 6 },
  { value: { name: 'Reykjavík, Iceland', callingCode: '354' }, weight: 2 },
  { value: { name: 'Bogotá, Colombia', callingCode: '57' }, weight: 4 },
  { value: { name: 'İstanbul, Türkiye', callingCode: '90' }, weight: 4 },
  { value: { name: 'Trondheim, Norway', callingCode: '47' }, weight: 3 },
  { value: { name: 'New York, USA', callingCode: '1' }, weight: 12 },
  { value: { name: 'London, UK', callingCode: '44' }, weight: 10 },
  { value: { name: 'Dublin, Ireland', callingCode: '353' }, weight: 4 },
  { value: { name: 'Tokyo, Japan', callingCode: '81' }, weight: 4 },
  { value: { name: 'Bengaluru, India', callingCode: '91' }, weight: 8 },
  { value: { name: 'Lagos, Nigeria', callingCode: '234' }, weight: 3 },
  { value: { name: 'Remote', callingCode: '1' }, weight: 10 },
];

/** Employees, a subsidiary and contractors, so a breakdown by emailDomain has several bars. */
export const EMAIL_DOMAINS: readonly Weighted<string>[] = [
  { value: 'acme.example', weight: 85 },
  { value: 'labs.acme.example', weight: 10 },
  { value: 'contractors.example', weight: 5 },
];
