import { Box, Typography } from '@mui/material';
import { AutocompleteInput, useRecordContext } from 'react-admin';
import { ACTION_CHOICES, matchesActionChoice, type ActionChoice } from './actionChoices';

/** One line of the pick list: the action as the log shows it, and what it means. */
const ActionOption = () => {
  const choice = useRecordContext<ActionChoice>();
  if (!choice) return null;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column' }}>
      <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
        {choice.name}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {choice.description}
      </Typography>
    </Box>
  );
};

/**
 * The action filter: the catalogue's actions and their groups to pick from, found by typing any
 * words of the action or its description. Only values the API accepts can be chosen.
 */
export const ActionInput = (props: { source: string; alwaysOn?: boolean; label?: string }) => (
  <AutocompleteInput
    {...props}
    choices={ACTION_CHOICES as ActionChoice[]}
    optionText={<ActionOption />}
    inputText={(choice: ActionChoice) => choice.name}
    matchSuggestion={matchesActionChoice}
    groupBy={(choice: ActionChoice) => choice.group}
    sx={{ minWidth: 320 }}
  />
);
